# want DF1812 "\"AS\" does not match the casing of \"from\""
from scratch AS base
# want DF1812 "COPY should be written in lower case"
COPY Dockerfile /foo
copy Dockerfile /bar
copy Dockerfile /baz
