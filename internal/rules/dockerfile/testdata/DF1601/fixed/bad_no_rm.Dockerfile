FROM debian:12
# want DF1601 "`apt-get update` leaves the package lists in this layer"
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
# want DF1601 "`apt-get install` leaves the package lists"
RUN set -eux; \
	apt-get install -y --no-install-recommends curl; \
	apt-get clean && \
	rm -rf /var/lib/apt/lists/*
