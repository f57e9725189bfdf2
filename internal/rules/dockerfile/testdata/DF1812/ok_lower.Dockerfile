from scratch as base
copy Dockerfile /foo
