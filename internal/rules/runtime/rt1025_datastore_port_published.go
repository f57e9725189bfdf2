package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1025 reports database, cache and cluster ports published to the host.
var RT1025 = &rule.Rule{
	ID:       "RT1025",
	Slug:     "datastore-port-published",
	Title:    "Database or cache port published to the host",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "Databases, caches and search engines are reached by the application over the compose network; publishing " +
		"their port puts them on the host's interfaces, where scanners find default or leaked credentials within hours " +
		"(Redis, MongoDB, Elasticsearch and etcd are often installed without authentication). Even on 127.0.0.1 every local " +
		"process and user can reach them.",
	Fix: "Remove the `ports` entry and let the services that need the database reach it over an internal network " +
		"(`expose` documents the port); for local debugging bind it to 127.0.0.1 in an override file.",
	Bad:   "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"",
	Good:  "services:\n  db:\n    image: postgres:16\n    expose: [\"5432\"]\n    networks: [backend]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.9"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#expose",
		"https://docs.docker.com/compose/how-tos/networking/",
	},
	Levels:   []rule.Level{{Severity: rule.Low, When: "when the port is bound to one host address (127.0.0.1): only local users and processes reach it"}},
	Subsumes: []rule.Subsumption{{IDs: []string{"RT1024"}, Same: rule.SameLine}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, g := range portGroups(s) {
				if len(g.ports) > 16 {
					continue // a wide range is about something else
				}
				for _, pt := range g.ports {
					name, port, ok := datastorePort(pt.ContainerPort)
					if !ok {
						continue
					}
					entry := keyword(s, "the ports entry "+g.desc(), "-p "+g.desc(), "the published port "+g.desc())
					if allInterfaces(pt) {
						reportFix(p, portsPos(s, pt), 0, "remove "+entry+" of "+who(s)+"; its clients reach it over the compose network "+
							"(to debug from the host, bind it to 127.0.0.1 in an override file)",
							"%s publishes %s port %d on all host interfaces (%s)", who(s), name, port, g.desc())
					} else {
						reportFix(p, portsPos(s, pt), rule.Low, "remove "+entry+" of "+who(s)+" unless a tool on the host needs it",
							"%s publishes %s port %d to the host on %s (%s); reach it over an internal network instead",
							who(s), name, port, hostIP(pt), g.desc())
					}
					break
				}
			}
		}
		return nil
	},
}

// datastorePorts are the well-known ports of databases, caches, brokers and
// cluster stores.
var datastorePorts = map[int]string{
	5432: "PostgreSQL", 3306: "MySQL/MariaDB", 33060: "MySQL X protocol", 1433: "SQL Server", 1521: "Oracle",
	6379: "Redis", 11211: "Memcached", 27017: "MongoDB", 27018: "MongoDB", 9200: "Elasticsearch", 9300: "Elasticsearch",
	5984: "CouchDB", 8086: "InfluxDB", 2379: "etcd", 2380: "etcd", 9042: "Cassandra",
	8529: "ArangoDB", 7474: "Neo4j", 7687: "Neo4j", 26257: "CockroachDB", 5672: "RabbitMQ", 9092: "Kafka",
	2181: "ZooKeeper", 8500: "Consul", 28015: "RethinkDB", 6380: "Redis",
	8123: "ClickHouse", 4222: "NATS", 7199: "Cassandra JMX",
}

// datastorePort reports whether a container port (or a short range) holds
// a well-known datastore port.
func datastorePort(cp string) (string, int, bool) {
	lo, hi, ok := portRange(cp)
	if !ok || hi-lo > 16 {
		return "", 0, false
	}
	for port := lo; port <= hi; port++ {
		if name, ok := datastorePorts[port]; ok {
			return name, port, true
		}
	}
	return "", 0, false
}

// isDatastore reports whether a service looks like a database, cache or
// broker: by a word of its image name (postgres, cp-kafka,
// zulip-postgresql), unless another word makes it a tool around one
// (mongo-express, redis-exporter, kafka-ui), or by a well-known port it
// exposes or publishes.
func isDatastore(s *container.Spec) bool {
	img := strings.ToLower(s.Image)
	if i := strings.LastIndex(img, "/"); i >= 0 {
		img = img[i+1:]
	}
	img, _, _ = strings.Cut(img, ":")
	img, _, _ = strings.Cut(img, "@")
	words := strings.FieldsFunc(img, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	store := false
	for _, w := range words {
		if datastoreTools[w] {
			return false
		}
		for _, n := range datastoreImages {
			store = store || strings.HasPrefix(w, n)
		}
	}
	if store {
		return true
	}
	for _, pt := range s.Ports {
		if _, _, ok := datastorePort(pt.ContainerPort); ok {
			return true
		}
	}
	for _, e := range s.Expose {
		if _, _, ok := datastorePort(e); ok {
			return true
		}
	}
	return false
}

// datastoreImages are the words that name a datastore in an image name.
var datastoreImages = []string{"postgres", "postgis", "mysql", "mariadb", "mongo", "redis", "valkey", "memcached", "elasticsearch",
	"opensearch", "couchdb", "influxdb", "etcd", "cassandra", "mssql", "oracle", "neo4j", "cockroach", "rabbitmq", "kafka",
	"zookeeper", "clickhouse", "timescaledb", "keydb", "dragonfly", "arangodb", "rethinkdb", "scylla", "nats"}

// datastoreTools are words of an image name that make it a tool around a
// datastore (an admin UI, an exporter, a connector) rather than one.
var datastoreTools = map[string]bool{
	"express": true, "commander": true, "insight": true, "redisinsight": true, "ui": true, "exporter": true, "admin": true,
	"web": true, "console": true, "connect": true, "rest": true, "proxy": true, "registry": true, "manager": true,
	"gui": true, "browser": true, "dashboards": true, "dashboard": true, "operator": true, "backup": true, "cli": true,
	"client": true, "init": true, "setup": true, "exporters": true, "kibana": true,
}
