FROM golang:1.22
COPY . /src
# want DF1801 "cd /src inside RUN"
RUN cd /src && go build -o /app .
# The finding points at the cd, on its own line of the continuation.
RUN set -e; \
    # want DF1801 "cd /opt/build"
    cd /opt/build; \
    make
