# escape=`
FROM mcr.microsoft.com/dotnet/sdk:9.0-nanoserver-ltsc2022
RUN dotnet --info
