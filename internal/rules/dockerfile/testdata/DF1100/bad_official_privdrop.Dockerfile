# The postgres image's entrypoint starts postgres as the postgres account.
# want DF1100 "its base image postgres starts the server as its own account" severity=low
FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
