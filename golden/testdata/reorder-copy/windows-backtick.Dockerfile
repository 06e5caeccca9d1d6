# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY . C:/app
RUN apt-get install -y curl
SHELL ["powershell", "-Command"]
RUN Write-Host hi
