# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN curl.exe -k -o C:\a.zip https://example.com/a.zip
