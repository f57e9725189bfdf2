FROM node:22-slim AS prod
CMD ["node", "server.js"]

# The default (last) stage is a development environment.
FROM node:22 AS dev
CMD ["npm", "run", "dev"]
