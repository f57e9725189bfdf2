FROM node:22-alpine AS base
USER node

FROM base AS deps
RUN npm ci

# The final stage inherits USER node through deps and base.
FROM deps
COPY . .
CMD ["node", "server.js"]
