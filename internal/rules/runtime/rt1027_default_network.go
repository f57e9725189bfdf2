package runtime

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1027 reports a compose datastore that services which do not use it
// can reach over a shared network (the project's default network, or one
// every service joins), and a container attached to Docker's default
// bridge. A datastore's clients are learnt from the file: depends_on,
// links, connection settings that name it, and segmenting networks the
// author put them on together.
var RT1027 = &rule.Rule{
	ID:       "RT1027",
	Slug:     "default-network",
	Title:    "Datastore reachable by services that do not use it",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Every service on a network can reach every other one on it, on every port. When a web-facing service that " +
		"has no business with the database shares its network (the project's default network, where every service lands " +
		"unless told otherwise), a compromise of it is one connection away from the data. A datastore's clients are what " +
		"the file says: services that name it in `depends_on` or `links`, point at it in a connection setting " +
		"(`DB_HOST: db`), or were put on a network with it that other services stay off; any other service that can " +
		"reach it is reported. Containers on Docker's default bridge (docker0) share it with every container started " +
		"without a network.",
	Fix: "Declare networks (for example `frontend` and `backend`), attach each service only to the ones it needs, and " +
		"keep the database on the backend network alone with its clients.",
	Bad:   "services:\n  proxy:\n    image: nginx:1.27\n    depends_on: [web]\n  web:\n    image: web:2.0\n    depends_on: [db]\n  db:\n    image: postgres:16",
	Good:  "services:\n  proxy:\n    image: nginx:1.27\n    networks: [frontend]\n  web:\n    image: web:2.0\n    networks: [frontend, backend]\n  db:\n    image: postgres:16\n    networks: [backend]\nnetworks:\n  frontend:\n  backend:\n    internal: true",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.30"}},
	References: []string{
		"https://docs.docker.com/compose/how-tos/networking/#specify-custom-networks",
		"https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge",
	},
	Levels: []rule.Level{{Severity: rule.Info, When: "for a docker run line or an inspected container on Docker's default bridge, " +
		"which is shared with every container started without a network but may hold no datastore"}},
	Check: func(p *rule.Pass) error {
		var services []*container.Spec
		for _, s := range specs(p) {
			switch s.Source {
			case container.SourceInspect, container.SourceDockerRun:
				m := strings.ToLower(strings.TrimSpace(s.NetworkMode))
				if m == "" || m == "default" || m == "bridge" {
					reportFix(p, at(s, container.KeyNetworkMode), rule.Info,
						"start it on a user-defined network (docker network create app; --network app) with only the containers it talks to",
						"%s is attached to Docker's default bridge network (docker0), shared with every container started without a network", who(s))
				}
			case container.SourceCompose:
				services = append(services, s)
			}
		}
		g := newTopology(projectOf(p), services)
		for _, d := range services {
			if !isDatastore(d) || d.Partial || d.NetworkMode != "" {
				continue
			}
			intruders, clients, nets := g.intruders(d)
			if len(intruders) == 0 || len(clients) == 0 {
				// Without a declared client the file does not say who uses
				// it (a configuration file may), so it is not judged.
				continue
			}
			uses := "its clients: " + joinNames(clients)
			verb := "does"
			if len(intruders) > 1 {
				verb = "do"
			}
			reportFix(p, at(d, container.KeyNetworks), 0,
				fmt.Sprintf("put %s on a network of its own with only the services that use it, and keep %s off it", who(d), joinNames(intruders)),
				"%s is reachable over the %s network by %s, which %s not use it (%s)", who(d), joinNames(nets), joinNames(intruders), verb, uses)
		}
		return nil
	},
}

// topology is which compose services share which networks, and which
// declare they talk to which: the evidence RT1027 judges a datastore's
// reach by.
type topology struct {
	services []*container.Spec
	// segmenting are declared networks that some service stays off: a
	// service the author put on one of them with a datastore was placed
	// there on purpose.
	segmenting map[string]bool
}

func newTopology(p *container.Project, services []*container.Spec) *topology {
	g := &topology{services: services, segmenting: map[string]bool{}}
	count := map[string]int{}
	attached := 0
	for _, s := range services {
		if s.NetworkMode != "" {
			continue
		}
		attached++
		for _, n := range netsOf(s) {
			count[n]++
		}
	}
	for n, c := range count {
		if _, declared := p.Networks[n]; declared && n != "default" && c < attached {
			g.segmenting[n] = true
		}
	}
	return g
}

// netsOf returns the compose networks a service joins: "default" when it
// names none.
func netsOf(s *container.Spec) []string {
	if len(s.Networks) == 0 {
		return []string{"default"}
	}
	return s.Networks
}

// intruders returns the services that reach datastore d over a shared
// network without using it, the services that use it, and the networks the
// intruders reach it over. A service uses d when either names the other in
// depends_on or links, or one's environment points at the other as a host
// (DB_HOST: db, postgres://app@db:5432/app), or it runs the image of one
// that does. Datastores are not intruders (they are not the way in), nor
// are services placed on a segmenting network with d.
func (g *topology) intruders(d *container.Spec) (intruders, clients, nets []string) {
	seenNet := map[string]bool{}
	// A service that runs the image of a declared client (a worker beside
	// its web application) does the same work: it is a client too.
	clientImages := map[string]bool{}
	for _, s := range g.services {
		if s != d && s.Image != "" && related(s, d) {
			clientImages[s.Image] = true
		}
	}
	for _, s := range g.services {
		if s == d || s.NetworkMode != "" || s.Partial {
			continue
		}
		shared := sharedNets(s, d)
		switch {
		case len(shared) == 0 || !coexist(s, d):
			continue
		case related(s, d) || clientImages[s.Image]:
			clients = append(clients, s.Name)
			continue
		case isDatastore(s) || s.EnvIncomplete:
			// A datastore is not the way in; a service whose env_file
			// could not be read may name d there.
			continue
		}
		deliberate := false
		for _, n := range shared {
			deliberate = deliberate || g.segmenting[n]
		}
		if deliberate {
			continue
		}
		intruders = append(intruders, s.Name)
		for _, n := range shared {
			if !seenNet[n] {
				seenNet[n] = true
				nets = append(nets, n)
			}
		}
	}
	sort.Strings(intruders)
	sort.Strings(clients)
	sort.Strings(nets)
	return intruders, clients, nets
}

// coexist reports whether two services can run together: services of
// disjoint compose profiles never do.
func coexist(a, b *container.Spec) bool {
	if len(a.Profiles) == 0 || len(b.Profiles) == 0 {
		return true
	}
	for _, p := range a.Profiles {
		if slices.Contains(b.Profiles, p) {
			return true
		}
	}
	return false
}

// sharedNets returns the networks two services both join.
func sharedNets(a, b *container.Spec) []string {
	var out []string
	for _, n := range netsOf(a) {
		if slices.Contains(netsOf(b), n) {
			out = append(out, n)
		}
	}
	return out
}

// related reports whether one of two services declares it talks to the
// other.
func related(a, b *container.Spec) bool {
	return names(a, b.Name) || names(b, a.Name)
}

// names reports whether s declares it talks to the service called name:
// depends_on, links, or an environment value that uses it as a host.
func names(s *container.Spec, name string) bool {
	if slices.Contains(s.DependsOn, name) || slices.Contains(s.Links, name) {
		return true
	}
	re := hostRef(name)
	for _, e := range s.Env {
		v := e.Value
		if !e.Literal && e.Raw != "" {
			v = e.Raw
		}
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

// hostRef matches a service name used as a host in a value: alone
// (DB_HOST: db), before a port or path (db:5432, redis://cache/0), after
// a scheme or credentials (postgres://u:p@db), or in a list of hosts.
func hostRef(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[/@,;=\s"'])` + regexp.QuoteMeta(name) + `($|[:/,;\s"'?])`)
}
