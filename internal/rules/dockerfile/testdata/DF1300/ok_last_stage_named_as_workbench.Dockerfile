FROM node:22-slim AS prod
RUN npm ci --omit=dev
USER node

FROM prod AS dev
RUN apt-get update && apt-get install -y build-essential && npm run build
