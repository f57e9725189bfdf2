FROM debian:12-slim
ARG RUN_AS=root
# want DF1101 "\"\\$\\{RUN_AS\\}\" \\(resolves to root\\)"
USER ${RUN_AS}
CMD ["bash"]
