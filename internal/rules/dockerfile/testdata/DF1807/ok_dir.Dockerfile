FROM node:20-alpine
ARG DEST=/app/
COPY package.json yarn.lock /app/
COPY package.json yarn.lock .
COPY package.json yarn.lock ./
COPY a b $DEST
COPY package.json /app/package.json
COPY *.json /app
COPY --from=node:20 /usr/local/bin/node /usr/local/bin/node
