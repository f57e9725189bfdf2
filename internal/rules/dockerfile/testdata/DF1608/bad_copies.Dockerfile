FROM node:22-alpine
WORKDIR /app
# want DF1608 "3 consecutive COPY instructions into [.] [(]lines 4-6[)]"
COPY package.json ./
COPY package-lock.json ./
COPY .npmrc.example .
RUN npm ci
# want DF1608 "2 consecutive ADD instructions into /rpmbuild/SOURCES"
ADD cairo.spec /rpmbuild/SOURCES
ADD cairo-multilib.patch /rpmbuild/SOURCES/
USER node
