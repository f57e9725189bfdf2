FROM python:3.12-slim
# want DF1803 "ENTRYPOINT gunicorn"
entrypoint gunicorn \
    --bind 0.0.0.0:8000 app.wsgi:application
