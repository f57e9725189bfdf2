FROM golang:1.22
# want DF1801 "cd /src inside RUN"
RUN mkdir /src && \
    cd /src && \
    go build .
