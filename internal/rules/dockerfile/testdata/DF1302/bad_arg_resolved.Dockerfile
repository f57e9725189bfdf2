ARG SRC=bulid
FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM alpine:3.20 AS final
ARG SRC
ARG SELF=final
# want DF1302 "COPY --from=\\$\\{SRC\\} \\(bulid\\) names no stage \\(did you mean stage \"build\"\\?\\)"
COPY --from=${SRC} /out/app /app
# want DF1302 "COPY --from=\\$SELF \\(final\\) refers to its own stage final"
COPY --from=$SELF /etc /etc2
