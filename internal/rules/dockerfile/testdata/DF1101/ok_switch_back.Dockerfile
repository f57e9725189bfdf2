FROM alpine:3.20
USER root
RUN npm install
USER guest
