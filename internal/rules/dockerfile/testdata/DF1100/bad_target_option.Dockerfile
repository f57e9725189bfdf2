# options: target=dev
FROM node:22-alpine AS base
WORKDIR /app

# want DF1100 "final stage \"dev\"" severity=medium
FROM base AS dev
RUN npm ci
CMD ["npm", "run", "dev"]

FROM base AS prod
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]
