FROM alpine:3.20
# want DF1000 "unknown flag: --nope"
COPY --nope=1 a /b
# want DF1000 "FROM requires either one or three arguments"
FROM alpine:3.20 AS
