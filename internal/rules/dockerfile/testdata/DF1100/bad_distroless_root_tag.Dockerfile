# The plain distroless tag runs as root; only :nonroot does not.
# want DF1100 "gcr.io/distroless/static-debian12.*application: its command runs app" severity=medium
FROM gcr.io/distroless/static-debian12
COPY app /app
ENTRYPOINT ["/app"]
