FROM node:22-alpine
WORKDIR /app
COPY . .
RUN npm run build
RUN npm install -g serve
RUN pip install --no-cache-dir .
RUN go build ./...
COPY --from=node:22 . /opt/
