# The nginx image's own command serves; this file keeps it.
# want DF1901 "built on the server image nginx"
FROM nginx:1.27-alpine
COPY site /usr/share/nginx/html
