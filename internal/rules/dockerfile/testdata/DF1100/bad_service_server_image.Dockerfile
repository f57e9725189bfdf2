# Built on nginx without replacing its command: nginx serves as root.
# want DF1100 "service: it is built on the server image nginx" severity=high
FROM nginx:1.27
COPY site /usr/share/nginx/html
