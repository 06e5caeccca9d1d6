# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
COPY . C:/app
RUN Get-Content C:/app/.git/HEAD `
    | Out-File C:/revision.txt
