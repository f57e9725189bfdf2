FROM debian:12-slim
# want DF1101 "is \"0:0\""
USER 0:0
CMD ["bash"]
