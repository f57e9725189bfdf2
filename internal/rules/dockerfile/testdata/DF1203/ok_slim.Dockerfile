FROM node:22 AS build
RUN npm ci && npm run build

FROM golang:1.24 AS tools
RUN go build -o /tool .

FROM node:22-slim
COPY --from=build /app/dist /app
COPY --from=tools /tool /usr/local/bin/tool
