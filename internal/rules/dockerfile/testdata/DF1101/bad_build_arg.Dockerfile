# options: build-arg=UID=0
FROM debian:12-slim
ARG UID=10001
# want DF1101 "resolves to 0"
USER $UID
CMD ["bash"]
