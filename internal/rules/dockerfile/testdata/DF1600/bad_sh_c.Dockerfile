FROM debian:12
# want DF1600 "`apt-get update` runs alone"
RUN ["/bin/sh", "-c", "apt-get update"]
