# settings: {"ignore-files": ["testdata/*.key", ".npmrc"]}
FROM node:22-slim
COPY .npmrc ./
COPY testdata/fixture.key /app/testdata/
USER node
