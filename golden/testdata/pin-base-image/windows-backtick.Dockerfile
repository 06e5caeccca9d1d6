# escape=`
FROM mcr.microsoft.com/windows/servercore
SHELL ["powershell", "-Command"]
RUN Write-Host `
    hi
