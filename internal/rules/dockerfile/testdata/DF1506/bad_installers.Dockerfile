FROM debian:12-slim
RUN wget "https://github.com/nzbget/nzbget/releases/download/v21.1/nzbget-21.1-bin-linux.run" -O /tmp/nzbget.run \
# want DF1506 "bash runs /tmp/nzbget.run, which wget downloaded at line 2"
	&& bash /tmp/nzbget.run --destdir /opt/nzbget
WORKDIR /installTmp
RUN wget https://dot.net/v1/dotnet-install.sh -O dotnet-install.sh \
    && chmod +x ./dotnet-install.sh \
# want DF1506 "the shell runs ./dotnet-install.sh"
    && ./dotnet-install.sh -Channel 9.0 -InstallDir /usr/share/dotnet
ARG CONDA_URL=https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh
RUN cd /tmp && curl -fsSLO ${CONDA_URL} \
# want DF1506 "sh runs Miniconda3-latest-Linux-x86_64.sh, which curl downloaded"
 && sudo sh Miniconda3-latest-Linux-x86_64.sh -b -p /opt/conda
# want DF1506 "python3 runs /tmp/get-pip.py"
RUN curl -sSo /tmp/get-pip.py https://bootstrap.pypa.io/get-pip.py && python3 /tmp/get-pip.py
FROM debian:12-slim AS base
# A trigger runs in every image built FROM this one.
# want DF1506 "bash runs /tmp/setup.sh"
ONBUILD RUN curl -fsSL -o /tmp/setup.sh https://example.com/setup.sh && bash /tmp/setup.sh
