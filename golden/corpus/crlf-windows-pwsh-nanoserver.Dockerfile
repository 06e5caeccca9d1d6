# escape=`
FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022
SHELL ["pwsh", "-NoLogo", "-NoProfile", "-Command"]
# comment between instructions
RUN New-Item -ItemType Directory -Path C:\data | Out-Null; `
    # comment inside the continuation
    Set-Content -Path C:\data\hello.txt -Value 'hi'
CMD pwsh -Command Get-Content C:\data\hello.txt
