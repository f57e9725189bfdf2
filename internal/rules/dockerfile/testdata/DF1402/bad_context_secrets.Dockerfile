FROM node:22-slim
WORKDIR /app
# want DF1402 "COPY copies .npmrc, an npm credentials file, into a layer of the image"
COPY .npmrc package*.json ./
# want DF1402 "COPY copies .env, a .env file"
COPY .env .
# want DF1402 "COPY copies config/.env.production, a .env file"
COPY config/.env.production ./config/
# want DF1402 "ADD copies id_rsa, an SSH private key"
ADD id_rsa /root/.ssh/id_rsa
# want DF1402 "COPY copies certs/server.key, a private key file"
COPY --chmod=600 certs/server.key /etc/ssl/private/
# want DF1402 "COPY copies tls/\\*.pem, a PEM file that may hold a private key"
COPY tls/*.pem /etc/tls/
# want DF1402 "COPY copies keystore.p12, a PKCS#12 keystore"
COPY keystore.p12 /opt/app/
USER node
