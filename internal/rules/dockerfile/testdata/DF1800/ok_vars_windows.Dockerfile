FROM alpine:3.20
ENV DIRPATH=/path
WORKDIR $DIRPATH/app
# GLASSFISH_HOME comes from the base image: it cannot be judged.
WORKDIR ${GLASSFISH_HOME}/bin
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\\app
WORKDIR c:/tools
