FROM debian:12
# want DF1808 "apt install: use apt-get install"
RUN apt-get install -y curl
# want DF1808 "apt upgrade"
RUN apt-get update && \
    sudo apt upgrade -y
# want DF1808 "apt search: use apt-cache search"
RUN ["apt", "search", "curl"]
