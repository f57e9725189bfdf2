FROM --platform=$BUILDPLATFORM golang:1.24 AS build
# want DF1206 "--platform=.\\{TARGETPLATFORM\\} on stage runtime is the default"
FROM --platform=${TARGETPLATFORM} alpine:3.21 AS runtime
