FROM golang:1.24-alpine AS build
RUN go build -o /app .

# want DF1203 "final stage runtime .through stage base. is built on the full image \"python:3.13\"; use python:3.13-slim or python:3.13-alpine"
FROM python:3.13 AS base
RUN pip install --no-cache-dir flask

FROM base AS runtime
COPY --from=build /app /app
