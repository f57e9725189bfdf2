# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo sudo is not a thing here
