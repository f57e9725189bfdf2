FROM debian:12
SHELL ["/bin/bash", "-c"]
RUN ln -sf /usr/bin/python3 /usr/bin/python
RUN ln -s /bin/sh /usr/local/bin/mysh
RUN bash -c 'echo hi'
