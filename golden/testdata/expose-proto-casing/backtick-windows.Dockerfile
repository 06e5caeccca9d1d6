# escape=`
FROM mcr.microsoft.com/windows/servercore/iis
EXPOSE 80/TCP `
       443/TCP
