FROM node:22-alpine
WORKDIR /app
# want DF1700 "COPY . . copies the whole context before `npm ci` at line 5; copy package.json"
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
