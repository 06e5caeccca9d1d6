# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2019

LABEL Description="Build tools" Vendor="Example" Version="1.0"

SHELL ["powershell", "-NoProfile", "-Command"]

RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `
    [System.Net.ServicePointManager]::SecurityProtocol = 3072; `
    iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))

RUN choco install -y git nodejs-lts 7zip; `
    Remove-Item -Recurse -Force C:\ProgramData\chocolatey\logs

# cmd-style for the rest
SHELL ["cmd", "/S", "/C"]
RUN mkdir C:\build && echo built > C:\build\stamp.txt
WORKDIR C:\build
CMD ["cmd.exe"]
