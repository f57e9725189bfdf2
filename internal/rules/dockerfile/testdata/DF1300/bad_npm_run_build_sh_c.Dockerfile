FROM node:22-slim
WORKDIR /app
COPY . .
# want DF1300 "`npm run build` builds"
RUN sh -c 'npm ci --omit=dev && npm run build'
CMD ["node", "dist/server.js"]
