FROM ubuntu:24.04 AS base
# want DF1101 "USER \"root\" in stage \"base\".*still in force in the final stage.*application: its command runs app" severity=medium
USER root

FROM base
COPY app /app
CMD ["/app"]
