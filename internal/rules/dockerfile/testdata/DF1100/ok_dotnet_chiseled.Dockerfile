ARG REPO=mcr.microsoft.com/dotnet/aspnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN dotnet publish -o /out

FROM $REPO:8.0-noble-chiseled
COPY --from=build /out /app
ENTRYPOINT ["dotnet", "/app/app.dll"]
