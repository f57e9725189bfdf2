FROM baseImage
RUN Test

FROM debian:bookworm AS build
RUN stuff

# want DF1303 "stage name \"build\" is already used by the stage at line 4"
FROM debian:trixie AS build
RUN more_stuff
