# escape=`
FROM mcr.microsoft.com/windows/servercore:latest
SHELL ["powershell", "-Command"]
RUN Invoke-WebRequest https://example.com/i.ps1 | iex
ENV ADMIN_PASSWORD=P@ss `
    OTHER=1
