# want DF1901 "final stage #0 \\(FROM node:alpine\\) serves \\(it EXPOSEs 3000\\) but has no HEALTHCHECK"
FROM node:alpine
WORKDIR /usr/src/app
COPY . .
EXPOSE 3000
CMD ["node","app.js"]
