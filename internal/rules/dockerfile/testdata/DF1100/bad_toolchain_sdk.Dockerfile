# An SDK image: compilers are its purpose, and it is built FROM, not run.
# want DF1100 "toolchain image: it is built on the toolchain image mcr.microsoft.com/dotnet/sdk" severity=low
FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN dotnet tool install --global dotnet-ef
