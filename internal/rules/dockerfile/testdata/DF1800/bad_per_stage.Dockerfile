FROM alpine:3.20 AS a
WORKDIR /app

FROM alpine:3.20 AS b
# want DF1800 "WORKDIR \"\\.\\./data\" is relative"
WORKDIR ../data
