# A queue worker runs a program but serves nothing.
FROM mcr.microsoft.com/dotnet/runtime:8.0
COPY out /app
ENTRYPOINT ["dotnet", "/app/Worker.dll"]
