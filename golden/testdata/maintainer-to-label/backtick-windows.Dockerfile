# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
MAINTAINER DOMAIN\jane `ops` $x
