FROM python:3.12-slim
# want DF1803 "is not valid JSON"
CMD [python, /usr/src/app/app.py]
