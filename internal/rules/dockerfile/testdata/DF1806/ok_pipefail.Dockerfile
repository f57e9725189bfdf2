FROM debian:12 AS a
RUN set -eux -o pipefail; curl -fsSL https://example.com/x | tar -xz
RUN set -euxo pipefail && curl -fsSL https://example.com/x | tar -xz
RUN bash -o pipefail -c 'curl -fsSL https://example.com/x | tar -xz'
RUN echo "abc  file" | sha256sum -c -
RUN yes | apt-get install curl-not-really
RUN ["/bin/bash", "./some_output", "./some_script"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x | tar -xz

FROM a
RUN curl -fsSL https://example.com/y | tar -xz

FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN type file.txt | findstr foo
