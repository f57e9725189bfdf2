FROM node:22 AS deps
USER root
RUN npm ci
# want DF1102 "USER node is set in stage \"deps\""
USER node

FROM node:22 AS test
# want DF1102 "USER \\$\\{TEST_USER\\} is set in stage \"test\""
USER ${TEST_USER}
RUN npm test

FROM node:22-slim AS final
COPY --from=deps /app/node_modules /app/node_modules
COPY --from=test /app/coverage /app/coverage
CMD ["node", "/app/server.js"]
