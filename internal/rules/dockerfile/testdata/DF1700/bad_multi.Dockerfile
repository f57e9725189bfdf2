FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
# want DF1700 "`dotnet restore` at line 5"
COPY . .
RUN dotnet restore
RUN dotnet publish -c Release -o /app

FROM maven:3.9-eclipse-temurin-21 AS mvn
WORKDIR /build
# want DF1700 "`mvn dependency:go-offline` at line 12"
COPY * ./
RUN mvn dependency:go-offline -B
RUN mvn -B package
