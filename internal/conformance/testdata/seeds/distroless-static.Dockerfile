# From seeds/000_a05a7bae7f7fa817.txt, "3. Choose Minimal Base Images". A
# fragment as published: `builder` is not a stage of this file.
# Using Google Distroless for a Go application
FROM gcr.io/distroless/static-debian12
COPY --from=builder /app/myapp /myapp
CMD ["/myapp"]
