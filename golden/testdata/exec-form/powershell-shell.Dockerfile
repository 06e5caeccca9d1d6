FROM mcr.microsoft.com/powershell:lts-debian-11
SHELL ["pwsh", "-Command"]
CMD Start-Service app
FROM debian:12-slim AS login
SHELL ["/bin/bash", "--login", "-c"]
CMD python app.py
