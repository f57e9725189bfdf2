FROM node:22 AS build
RUN npm ci
# want DF1203 "\"debian:bookworm\"; use debian:bookworm-slim" severity=low
FROM debian:bookworm
COPY --from=build /app /app
