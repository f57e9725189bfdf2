# escape=`
# The .NET images on nanoserver run as ContainerUser, as nanoserver does.
FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
COPY out/ /app/
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/aspnetapp.dll"]
