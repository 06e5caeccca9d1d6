# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `
    Write-Host hello
CMD app.exe --serve
ENTRYPOINT C:\app\run.exe
