FROM golang:1.22 AS build
CMD ["./app"]
ENTRYPOINT ["/bin/sh"]
HEALTHCHECK CMD ["true"]
ONBUILD CMD ["x"]

FROM build
CMD ["./app2"]
ENTRYPOINT ["/bin/bash"]
