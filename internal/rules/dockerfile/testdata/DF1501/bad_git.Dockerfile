# syntax=docker/dockerfile:1
FROM alpine:3.20
# want DF1501 "Git repository .* at ref v0.14.0, which can move"
ADD https://github.com/moby/buildkit.git#v0.14.0 /src
# want DF1501 "no ref, so it follows the default branch"
ADD git@github.com:org/repo.git /src2
