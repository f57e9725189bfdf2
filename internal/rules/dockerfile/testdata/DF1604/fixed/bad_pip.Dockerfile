FROM python:3.12-slim
# want DF1604 "`pip install --upgrade pip` keeps downloaded wheels"
RUN pip install --no-cache-dir --upgrade pip && \
    pip install --no-cache-dir nibabel pydicom
# want DF1604 "python -m pip install"
RUN python -m pip install --no-cache-dir requests
# want DF1604 "pip3.12 install"
RUN /usr/local/bin/pip3.12 install --no-cache-dir flask
# want DF1604 "pip3 install"
RUN ["pip3", "install", "requests==2.32.3"]
