FROM golang:1.16 AS builder
WORKDIR /go/src/app
RUN zypper install
RUN yum -y install gcc
RUN dnf install -vy docker-ce
RUN go build -o app .

FROM alpine:3.20
RUN apk --no-cache add ca-certificates
COPY --from=builder /go/src/app/app ./
