FROM python:3.12-slim
RUN useradd --system --no-log-init app
USER app
CMD ["python", "/app/main.py"]
