FROM node:20-alpine
# want DF1803 "CMD node server.js --port=8080 runs under"
CMD ["node", "server.js", "--port=8080"]
