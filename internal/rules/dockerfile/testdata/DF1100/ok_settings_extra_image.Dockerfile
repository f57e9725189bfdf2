# settings: {"non-root-base-images": ["registry.example.com/base/*"]}
FROM registry.example.com/base/runtime:2.1
COPY app /app
CMD ["/app"]
