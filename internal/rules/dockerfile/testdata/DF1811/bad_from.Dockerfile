ARG BASE_IMAGE=alpine
ARG TAG=3.20
# want DF1811 "FROM uses \\$BASE_IMG, .* \\(did you mean \\$BASE_IMAGE\\?\\)"
FROM ${BASE_IMG}:${TAG}
ARG TAG
RUN echo $UNDEFINED_IN_RUN_IS_FINE
