FROM gliderlabs/alpine:3.3
RUN apk --no-cache add nginx openssh
# want DF1900 "EXPOSE publishes port 22 \\(SSH\\)"
EXPOSE 3000 80 443 22
# want DF1900 "port 22"
EXPOSE 22/tcp
# want DF1900 "port range 20-25, which includes port 22"
EXPOSE 20-25
CMD ["nginx", "-g", "daemon off;"]
