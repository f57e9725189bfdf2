FROM python:3.12-slim
RUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3
RUN set -eux; export PIP_NO_CACHE_DIR=on; python3 -m pip install requests==2.32.3
RUN declare -x PIP_NO_CACHE_DIR=true && pip install httpx==0.27.0
