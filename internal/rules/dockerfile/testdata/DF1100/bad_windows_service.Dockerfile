# escape=`
# want DF1100 "runs as ContainerAdministrator; switch to USER ContainerUser.*service: it EXPOSEs 27017" severity=high
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY mongodb/ C:/mongodb/
EXPOSE 27017
CMD ["C:\\mongodb\\bin\\mongod.exe", "--bind_ip_all"]
