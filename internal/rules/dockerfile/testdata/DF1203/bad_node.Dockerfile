# want DF1203 "final stage is built on the full image \"node:22\"; use node:22-slim or node:22-alpine" severity=medium
FROM node:22
COPY . /app
CMD ["node", "/app/server.js"]
