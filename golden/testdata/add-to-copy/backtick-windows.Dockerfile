# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
ADD app\config.json C:\app\
ADD tools.zip C:\tools\
ADD archive.tar C:\data\
RUN Write-Host `
    done
