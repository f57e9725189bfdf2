# Elastic documents that its images run as a non-root account (uid 1000).
ARG ELASTIC_VERSION
FROM docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION:-8.15.0}
COPY config/elasticsearch.yml /usr/share/elasticsearch/config/elasticsearch.yml
