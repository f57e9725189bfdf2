ARG BASE=node
ARG TAG=latest
# want DF1200 "\"node\" \\(the default of build argument BASE, which the build may set\\) has no tag" severity=low
FROM ${BASE}
# want DF1200 "\"node:latest\" .from node:.TAG. uses the moving latest tag" severity=medium
FROM node:$TAG
