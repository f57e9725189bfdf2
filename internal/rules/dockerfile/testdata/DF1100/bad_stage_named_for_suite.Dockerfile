FROM node:22-alpine AS base
WORKDIR /app

# The default (last) stage is a test environment, never deployed.
# want DF1100 "development or CI image: its stage test is named for development" severity=info
FROM base AS test
RUN npm ci
CMD ["npm", "test"]
