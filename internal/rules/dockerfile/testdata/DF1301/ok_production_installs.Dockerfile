FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
RUN npm ci
RUN yarn install --frozen-lockfile
RUN pnpm install --frozen-lockfile
USER node
