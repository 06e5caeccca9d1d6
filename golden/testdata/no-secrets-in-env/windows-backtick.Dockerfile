# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV ADMIN_PASSWORD=P@ssw0rd `
    OTHER=x
