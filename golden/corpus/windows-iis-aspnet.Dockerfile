# escape=`
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Install-WindowsFeature Web-Asp-Net45; `
    Remove-Website -Name 'Default Web Site'; `
    New-Website -Name 'app' -Port 80 -PhysicalPath 'C:\inetpub\wwwroot\app'

WORKDIR C:\inetpub\wwwroot\app
COPY ./bin/Release/PublishOutput/ .

HEALTHCHECK --interval=30s --timeout=5s `
  CMD powershell -command try { $r = iwr http://localhost/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }
