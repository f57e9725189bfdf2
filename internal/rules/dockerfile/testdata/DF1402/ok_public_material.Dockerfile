FROM nginx:1.27
COPY .env.example .env.sample .env.template ./
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY .ssh/known_hosts /root/.ssh/known_hosts
COPY ca.pem rds-combined-ca-bundle.pem fullchain.pem server-cert.pem dhparam.pem /etc/ssl/certs/
COPY nginx_signing.key docker-archive-keyring.key repo.gpg.key /usr/share/keyrings/
COPY truststore.jks cacerts.jks /opt/java/
COPY .env-config.js environment.ts credentials-helper.sh /app/
COPY . /app
COPY --from=builder /app/dist /usr/share/nginx/html
ADD https://example.com/keys/server.pem /tmp/
COPY <<EOF /app/.env
PORT=8080
EOF
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
RUN --mount=type=bind,source=.env,target=/app/.env ./migrate
USER nginx
