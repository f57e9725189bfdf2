# From seeds/001_e93b9a60aa669158.txt, "Use an official image". It shows a
# minimal base image but never switches away from root.
# Use the official, minimal Node.js image
FROM node:18-alpine

WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
CMD ["npm", "start"]
