# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo hello > C:\hello.txt && `
    type C:\hello.txt
CMD type C:\hello.txt
