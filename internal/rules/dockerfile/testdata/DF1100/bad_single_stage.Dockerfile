# want DF1100 "final stage #0 \\(FROM python:3.12-slim\\) never switches to a non-root USER.*application: its command runs python" severity=medium
FROM python:3.12-slim
RUN useradd --system --no-log-init app
COPY app /app
CMD ["python", "/app/main.py"]
