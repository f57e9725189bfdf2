FROM golang:1.22
COPY . /src
# want DF1801 "cd /src inside RUN"
RUN cd /src && go build -o /app .
# want DF1801 "cd /tmp/build"
RUN set -e; \
    cd /tmp/build; \
    make
