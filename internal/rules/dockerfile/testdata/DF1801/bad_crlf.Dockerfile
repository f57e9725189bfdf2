FROM golang:1.22
RUN mkdir /src && \
    # want DF1801 "cd /src inside RUN"
    cd /src && \
    go build .
