# want DF1812 "\"as\" does not match the casing of \"FROM\""
FROM scratch as base
COPY Dockerfile /foo
