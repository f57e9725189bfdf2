# Names that merely contain "root" or a zero are not root, and the root
# group (used by OpenShift-style images) is not the root user.
FROM alpine:3.20
RUN adduser -D rootless
USER rootless:root
