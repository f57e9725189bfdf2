# No EXPOSE, but gunicorn is a server.
# want DF1901 "its command runs gunicorn"
FROM python:3.12-slim
COPY . /app
USER nobody
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
