FROM opensuse/leap:15.6
# want DF1605 "`zypper install` leaves its package cache"
RUN zypper --non-interactive install nginx
# want DF1605 "`zypper in`"
RUN zypper -n in curl

FROM node:22 AS web
WORKDIR /app
COPY package.json package-lock.json ./
# want DF1605 "`npm ci` keeps every downloaded tarball"
RUN npm ci --omit=dev
# want DF1605 "`yarn install`"
RUN yarn install --frozen-lockfile
# want DF1605 "`yarn install`"
RUN yarn
# want DF1605 "`npm install`"
RUN npm install -g pm2
