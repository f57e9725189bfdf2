FROM nginx:1.27
# want DF1805 "EXPOSE 65536/tcp: port 65536 is outside 1-65535"
EXPOSE 65536/tcp 80 443
# want DF1805 "EXPOSE 80/TcP: write the protocol in lower case"
EXPOSE 80/TcP 8080/udp
# want DF1805 "EXPOSE 127.0.0.1:80:80: a host address or port"
EXPOSE 127.0.0.1:80:80 8000
# want DF1805 "unknown protocol \"http\""
EXPOSE 8080/http
# want DF1805 "not a number or range"
EXPOSE http
# want DF1805 "ends before it starts"
EXPOSE 9000-8000
