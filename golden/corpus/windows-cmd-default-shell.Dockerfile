FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN mkdir C:\\app
COPY app.exe C:/app/
RUN powershell -Command "Write-Host hello"
RUN cmd /S /C "echo a && echo b"
WORKDIR C:\\app
ENTRYPOINT ["C:\\app\\app.exe"]
CMD C:\app\app.exe --serve
