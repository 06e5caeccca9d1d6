# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN mkdir C:\app
RUN echo hello > C:\app\hello.txt `
    && type C:\app\hello.txt
