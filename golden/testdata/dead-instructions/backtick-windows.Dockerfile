# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
CMD ["cmd.exe"]
CMD ["powershell.exe", `
     "-NoLogo"]
