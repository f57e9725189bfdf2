FROM python:3.12-slim
# An export reaches only the commands after it.
# want DF1604 "`pip install flask` keeps downloaded wheels"
RUN pip install --no-cache-dir flask && export PIP_NO_CACHE_DIR=1 && pip install requests==2.32.3
