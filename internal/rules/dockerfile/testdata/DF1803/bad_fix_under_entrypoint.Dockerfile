FROM debian:12
ENTRYPOINT ["/usr/bin/tini", "--"]
# Under an ENTRYPOINT of the Dockerfile: no fix.
# want DF1803 "CMD /app/run"
CMD /app/run
