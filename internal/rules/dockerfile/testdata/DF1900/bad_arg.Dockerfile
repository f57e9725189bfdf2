FROM alpine:3.20
ARG SSH_PORT=22
ENV PORTS="8080 22"
# want DF1900 "EXPOSE \\$\\{SSH_PORT\\} resolves to port 22"
EXPOSE ${SSH_PORT}
# want DF1900 "EXPOSE \\$PORTS resolves to port 22"
EXPOSE $PORTS
