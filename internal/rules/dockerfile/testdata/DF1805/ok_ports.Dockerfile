FROM nginx:1.27
ARG PORT=8080
EXPOSE 80 443/tcp 53/udp 3868/sctp 8000-8010 $PORT
# A port from the base image environment cannot be judged.
EXPOSE ${APP_PORT}
