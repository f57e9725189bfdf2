# HEALTHCHECK NONE records a deliberate choice (Kubernetes probes instead).
FROM nginx:1.27-alpine
HEALTHCHECK NONE
