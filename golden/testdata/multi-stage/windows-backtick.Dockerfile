# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\src
COPY . .
RUN go build -o C:\app\hello.exe .
CMD ["C:\\app\\hello.exe"]
