FROM node:alpine
COPY . .
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:3000/health || exit 1
CMD ["node","app.js"]
