# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 as base
RUN echo `
    hi
