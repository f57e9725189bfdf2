FROM alpine:3.20
# want DF1800 "WORKDIR \"app/\" is relative"
WORKDIR app/
WORKDIR sub
