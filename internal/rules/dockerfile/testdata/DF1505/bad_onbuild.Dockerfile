FROM node:20-slim
# The trigger runs in every image built FROM this one.
# want DF1505 "npm install does not pin the version of typescript"
ONBUILD RUN npm install -g typescript
