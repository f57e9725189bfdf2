FROM python:3.12-slim
COPY requirements.txt /tmp/
COPY . /src
RUN pip install --no-cache-dir -r /tmp/requirements.txt && pip install --no-cache-dir /src
# want DF1606 "deletes /tmp/requirements.txt, which COPY at line 2 added"
RUN rm /tmp/requirements.txt
# want DF1606 "deletes /src, which COPY at line 3 added"
RUN set -eux; \
    echo cleaning; \
    rm -rf /src
ADD https://example.com/dist/installer.sh /opt/
# want DF1606 "deletes /opt/installer.sh, which ADD at line 11 added"
RUN sh /opt/installer.sh && rm -f /opt/installer.sh
