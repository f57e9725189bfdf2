FROM node:22-slim
WORKDIR /app
COPY package*.json ./
# want DF1301 "`npm ci` installs devDependencies"
RUN npm ci
COPY . .
USER node
CMD ["node", "server.js"]
