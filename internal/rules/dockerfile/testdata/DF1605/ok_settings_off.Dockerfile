# settings: {"npm": false, "yarn": false}
FROM node:22
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
RUN npm ci
