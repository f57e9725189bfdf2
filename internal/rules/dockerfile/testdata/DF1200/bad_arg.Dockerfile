ARG BASE=node
ARG TAG=latest
# want DF1200 "\"node\" .from .\\{BASE\\}. has no tag"
FROM ${BASE}
# want DF1200 "\"node:latest\" .from node:.TAG. uses the moving latest tag"
FROM node:$TAG
