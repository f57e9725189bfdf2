# escape=`
# IIS needs ContainerAdministrator to start; its sites run as pool identities.
# want DF1100 "runs IIS as ContainerAdministrator" severity=low
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1
COPY site/ /inetpub/wwwroot
