# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN upx `
    C:\app.exe
