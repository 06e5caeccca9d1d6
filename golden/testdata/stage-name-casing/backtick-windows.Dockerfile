# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS Base
FROM base
COPY --from=Base C:\app C:\app
