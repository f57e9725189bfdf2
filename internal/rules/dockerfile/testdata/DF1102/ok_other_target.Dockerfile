# A stage the final image does not use is another build target; its USER
# is meant for that target (DF1100 reports the final stage itself).
FROM alpine:3.20 AS rootless
USER 1000:1000

FROM alpine:3.20 AS default
CMD ["sh"]
