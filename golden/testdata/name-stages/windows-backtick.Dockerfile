# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\src
COPY . .
RUN dotnet publish -c Release -o C:\out

FROM mcr.microsoft.com/dotnet/runtime:8.0-windowsservercore-ltsc2022
COPY --from=0 `
    C:\out C:\app
ENTRYPOINT ["C:\\app\\hello.exe"]
