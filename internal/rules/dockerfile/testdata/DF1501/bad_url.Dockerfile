FROM openjdk:21-jdk-slim
# want DF1501 "ADD downloads https://example.com/big.tar.xz without --checksum"
ADD https://example.com/big.tar.xz /usr/src/things/
ARG VERSION=1.2.3
# want DF1501 "https://example.com/tool-1.2.3.bin"
ADD https://example.com/tool-${VERSION}.bin /usr/local/bin/tool
# want DF1501 "http://example.com/package.zip"
ADD --chmod=644 http://example.com/package.zip /temp
