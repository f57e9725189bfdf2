# settings: {"trusted-registries": ["docker.io", "mcr.microsoft.com"]}
FROM ubuntu:24.04 AS base
FROM base AS build
FROM mcr.microsoft.com/dotnet/aspnet:9.0
FROM docker.io/bitnami/nginx:1.27
FROM scratch
ARG UNSET
FROM ${UNSET}
