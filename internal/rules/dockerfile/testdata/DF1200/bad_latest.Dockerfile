# want DF1200 "\"python:latest\" uses the moving latest tag"
FROM python:latest AS build
RUN echo build

# want DF1200 "\"ghcr.io/acme/runtime\" has no tag, so it resolves to ghcr.io/acme/runtime:latest"
FROM --platform=$BUILDPLATFORM ghcr.io/acme/runtime AS runtime
COPY --from=build /x /x
