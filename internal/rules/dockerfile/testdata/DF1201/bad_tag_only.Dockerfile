# want DF1201 "base image \"node:22-alpine\" is referenced by tag only"
FROM node:22-alpine AS build
RUN npm ci

# want DF1201 "\"gcr.io/distroless/nodejs22-debian12\""
FROM gcr.io/distroless/nodejs22-debian12
COPY --from=build /app /app
