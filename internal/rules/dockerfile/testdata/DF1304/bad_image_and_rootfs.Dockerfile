FROM alpine:3.20 AS tools

FROM ubuntu:24.04 AS base
WORKDIR /srv

FROM scratch
# want DF1304 "whole filesystem of image alpine:3.20"
COPY --from=alpine:3.20 / /
# want DF1304 "whole filesystem of stage tools \\(alpine:3.20\\) into /rootfs"
COPY --from=tools /. /rootfs
# want DF1304 "COPY --from=1 / copies the whole filesystem of stage base \\(ubuntu:24.04\\)"
COPY --link --from=1 / /base/
