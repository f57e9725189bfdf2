FROM python:3.12-slim
RUN pip install --no-cache-dir --upgrade pip && \
    pip install --no-cache-dir nibabel
RUN ["pip3", "install", "requests==2.32.3", "--no-cache-dir"]
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
RUN --mount=type=cache,target=/root/.cache pip install django
RUN pip install numpy && rm -rf /root/.cache/pip
RUN pip install scipy && pip cache purge
RUN PIP_NO_CACHE_DIR=1 pip install pandas
RUN pipenv install --system
RUN pip download -d /wheels torch
RUN python3 -m pipx install black
