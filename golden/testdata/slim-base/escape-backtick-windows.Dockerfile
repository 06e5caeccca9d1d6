# escape=`
FROM python:3.11-windowsservercore-ltsc2022
SHELL ["powershell", "-Command"]
RUN Write-Host `
    hello
CMD ["python", "app.py"]
