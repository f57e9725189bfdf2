ARG NODE_VERSION=16
# want DF1204 "\"node:16-alpine\".*Node.js 16 reached end of life on 2023-09-11"
FROM node:${NODE_VERSION}-alpine
