package runtime

import "strings"

// nonRootImages are images whose Dockerfile ends with a non-root USER, by
// repository (a trailing "/" or "-" matches every repository it starts),
// with that user. A service that sets no user runs as it. Only images that
// have kept the USER across the versions in use are listed; a service
// that sets user: itself is judged on what it sets.
var nonRootImages = map[string]string{
	"confluentinc/cp-":                          "appuser", // every Confluent Platform image since 6.0
	"elasticsearch":                             "elasticsearch (1000)",
	"docker.elastic.co/elasticsearch/":          "elasticsearch (1000)",
	"kibana":                                    "kibana (1000)",
	"docker.elastic.co/kibana/":                 "kibana (1000)",
	"logstash":                                  "logstash (1000)",
	"docker.elastic.co/logstash/":               "logstash (1000)",
	"opensearchproject/opensearch":              "opensearch (1000)",
	"opensearchproject/opensearch-dashboards":   "opensearch-dashboards (1000)",
	"grafana/grafana":                           "grafana (472)",
	"grafana/grafana-oss":                       "grafana (472)",
	"grafana/grafana-enterprise":                "grafana (472)",
	"grafana/loki":                              "10001",
	"prom/":                                     "nobody",
	"jaegertracing/all-in-one":                  "10001",
	"otel/opentelemetry-collector":              "10001",
	"otel/opentelemetry-collector-contrib":      "10001",
	"nginxinc/nginx-unprivileged":               "nginx (101)",
	"bitnami/":                                  "1001",
	"dpage/pgadmin4":                            "pgadmin (5050)",
	"memcached":                                 "memcache",
	"temporalio/server":                         "temporal (1000)",
	"docker.redpanda.com/redpandadata/redpanda": "redpanda",
	"docker.redpanda.com/vectorized/redpanda":   "redpanda",
	"mcr.microsoft.com/mssql/server":            "mssql (10001)",
	"mcr.microsoft.com/azure-sql-edge":          "mssql (10001)",
	"quay.io/keycloak/keycloak":                 "keycloak (1000)",
	"sonarqube":                                 "sonarqube",
	"jenkins/jenkins":                           "jenkins (1000)",
	"apache/kafka":                              "appuser",
	"ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib": "10001",
}

// dropsRoot are official images whose entrypoint starts as root to prepare
// the data directory and then runs the server as an unprivileged user
// (gosu, su-exec): the container starts as root, its server does not.
var dropsRoot = map[string]string{
	"postgres": "postgres", "postgis/postgis": "postgres", "mysql": "mysql", "mariadb": "mysql", "redis": "redis",
	"valkey/valkey": "valkey", "mongo": "mongodb", "rabbitmq": "rabbitmq", "cassandra": "cassandra",
	"zookeeper": "zookeeper", "couchdb": "couchdb", "neo4j": "neo4j", "influxdb": "influxdb",
}

// repository returns an image reference without tag or digest, and
// without Docker Hub's implicit registry and library/ namespace.
func repository(image string) string {
	ref := strings.ToLower(strings.TrimSpace(image))
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		ref = strings.TrimPrefix(ref, p)
	}
	return strings.TrimPrefix(ref, "library/")
}

// lookupImage finds an image's repository in one of the tables above.
func lookupImage(table map[string]string, image string) (string, bool) {
	repo := repository(image)
	if v, ok := table[repo]; ok {
		return v, true
	}
	for k, v := range table {
		if (strings.HasSuffix(k, "/") || strings.HasSuffix(k, "-")) && strings.HasPrefix(repo, k) {
			return v, true
		}
	}
	return "", false
}

// imageRunsAs reports whether an image is in one of the tables above.
func imageRunsAs(table map[string]string, image string) bool {
	_, ok := lookupImage(table, image)
	return ok
}
