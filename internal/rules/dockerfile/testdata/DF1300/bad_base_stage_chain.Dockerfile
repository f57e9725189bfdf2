FROM node:22-alpine AS base
# want DF1300 "apk installs build toolchain python3-dev, make, g\\+\\+ in stage base, which the final stage is built FROM"
RUN apk add --no-cache python3-dev make g++
WORKDIR /app

FROM base AS builder
RUN echo unrelated

FROM base
COPY --from=builder /app /app
USER node
