FROM node:20-alpine
# want DF1803 "ENTRYPOINT node server.js runs under /bin/sh -c"
ENTRYPOINT node server.js
# want DF1803 "CMD npm start runs under"
CMD npm start
