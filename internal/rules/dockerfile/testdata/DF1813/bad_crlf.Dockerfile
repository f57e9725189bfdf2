FROM alpine:3.20
# want DF1813 "ENV A 1 uses the legacy form"
ENV A 1
ENV B=2
