FROM nginx:1.27-alpine AS base
HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1

FROM base
COPY site /usr/share/nginx/html
