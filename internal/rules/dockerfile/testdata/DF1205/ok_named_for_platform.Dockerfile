FROM --platform=linux/amd64 scratch AS my_amd64_stage
FROM --platform=linux/amd64 scratch AS linux
FROM --platform=linux/arm64 golang:1.24 AS build-arm64
FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows-base
