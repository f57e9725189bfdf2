FROM alpine:3.20 AS build
RUN apk add build-base
RUN make

FROM alpine:3.20
RUN apk add --no-cache libstdc++
COPY --from=build /src/app /app
