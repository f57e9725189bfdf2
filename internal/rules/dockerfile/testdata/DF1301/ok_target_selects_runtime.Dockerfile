# options: target=runtime
FROM node:22-slim AS runtime
RUN npm ci --omit=dev
USER node

FROM runtime AS tooling
RUN npm ci
