# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# want DF1101 "ContainerAdministrator"
USER ContainerAdministrator
CMD ["cmd"]
