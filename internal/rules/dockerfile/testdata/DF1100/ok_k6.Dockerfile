# Grafana's k6 images run as the k6 account (USER k6 in their Dockerfile).
FROM grafana/k6:0.54.0
COPY script.js .
ENTRYPOINT ["k6", "run", "script.js"]
