# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022

ENV GOLANG_VERSION 1.23.2

# PATH isn't actually set in the Docker image, so we have to set it from within the container
USER ContainerAdministrator
RUN setx /m PATH "C:\go\bin;C:\Users\ContainerUser\go\bin;%PATH%"
USER ContainerUser

COPY --from=golang:1.23-windowsservercore-ltsc2022 ["C:\\Program Files\\Go","C:\\Program Files\\Go"]
RUN go version

WORKDIR C:\Users\ContainerUser\go
