# settings: {"ignore-names": ["LICENSE_KEY", "*__Key"]}
FROM alpine:3.20
ENV LICENSE_KEY=
ENV DefaultProcess__Filters__0__Key=ProcessName
