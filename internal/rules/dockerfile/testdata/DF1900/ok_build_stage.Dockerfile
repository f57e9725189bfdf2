# A stage the final image only copies files from does not pass on EXPOSE.
FROM alpine:3.20 AS tools
EXPOSE 22
RUN echo build > /out

FROM alpine:3.20
COPY --from=tools /out /out
EXPOSE 8080
