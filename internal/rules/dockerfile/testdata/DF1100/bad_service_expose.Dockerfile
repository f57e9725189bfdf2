# A service: its root process takes requests from the network.
# want DF1100 "never switches to a non-root USER.*service: it EXPOSEs 8000" severity=high
FROM python:3.12-slim
COPY app /app
EXPOSE 8000
CMD ["python", "/app/main.py"]
