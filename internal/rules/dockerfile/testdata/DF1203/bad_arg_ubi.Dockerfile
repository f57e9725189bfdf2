ARG UBI=registry.access.redhat.com/ubi9
# want DF1203 "use registry.access.redhat.com/ubi9/ubi-minimal" severity=low
FROM ${UBI}:9.5
