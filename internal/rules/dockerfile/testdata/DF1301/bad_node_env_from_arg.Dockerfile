FROM node:22-slim AS base
ARG NODE_ENV=development
ENV NODE_ENV=${NODE_ENV}
WORKDIR /app

FROM base
COPY package.json yarn.lock ./
# want DF1301 "`yarn install` installs devDependencies"
RUN yarn install --frozen-lockfile
# want DF1301 "`pnpm install` installs devDependencies"
RUN corepack enable && pnpm install --frozen-lockfile
# want DF1301 "npm install --include=dev"
RUN NODE_ENV=production npm install --include=dev
USER node
