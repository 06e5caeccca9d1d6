# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
shell ["powershell", "-Command"]
RUN Write-Host `
    hi
