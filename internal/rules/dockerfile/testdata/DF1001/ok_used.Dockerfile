FROM alpine:3.20
# Foreign pragmas that match nothing are not reported: they may name
# checks shipshape does not have.
# hadolint ignore=DL3008,DL9999
RUN echo nothing
