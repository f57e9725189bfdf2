FROM scratch
# want DF1812 "copy should be written in upper case"
copy Dockerfile /foo
COPY Dockerfile /bar
# want DF1812 "Run should be written in upper case"
Run echo hi
