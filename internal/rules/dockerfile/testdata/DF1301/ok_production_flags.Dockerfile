FROM node:22-slim
WORKDIR /app
RUN npm ci --omit=dev
RUN npm install --only=production
RUN npm ci --production && npm cache clean --force
RUN yarn install --production --frozen-lockfile
RUN pnpm install --prod
RUN npm install -g pm2 && npm install express
RUN yarn --version && yarn add left-pad
RUN npm ci && npm run build && npm prune --omit=dev
USER node
