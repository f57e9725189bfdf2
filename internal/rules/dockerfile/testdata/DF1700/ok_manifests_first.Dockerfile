FROM node:22-alpine
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM python:3.12-slim AS py
COPY requirements/ /tmp/requirements/
COPY . /app
RUN pip install --no-cache-dir -r /tmp/requirements/prod.txt

FROM golang:1.23 AS go
WORKDIR /src
COPY go.mod go.sum ./
COPY . .
RUN go mod download

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS dotnet
COPY src/App/App.csproj src/App/
COPY . .
RUN dotnet restore src/App/App.csproj
