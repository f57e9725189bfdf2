# No EXPOSE, but the command is a server.
# want DF1100 "service: its command runs gunicorn" severity=high
FROM python:3.12-slim
COPY app /app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
