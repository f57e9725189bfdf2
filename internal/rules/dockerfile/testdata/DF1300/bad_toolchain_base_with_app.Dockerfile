# Built on a toolchain image but running an application of its own: the
# toolchain ships with the application.
FROM golang:1.23
WORKDIR /src
COPY . .
# want DF1300 "`go build` builds in the only \\(final\\) stage"
RUN go build -o /usr/local/bin/app .
EXPOSE 8080
CMD ["app"]
