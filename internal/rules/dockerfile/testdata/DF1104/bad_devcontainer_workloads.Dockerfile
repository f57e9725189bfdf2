# A dev container lets its user install SDK workloads: low, still reported.
FROM mcr.microsoft.com/devcontainers/base:bookworm
COPY dotnet /usr/share/dotnet
# want DF1104 "chmod a\\+w makes /usr/share/dotnet" severity=low
RUN chmod -R a+w /usr/share/dotnet
