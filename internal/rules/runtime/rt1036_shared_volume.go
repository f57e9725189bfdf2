package runtime

import (
	"sort"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1036 reports a host path or named volume mounted by several services.
var RT1036 = &rule.Rule{
	ID:       "RT1036",
	Slug:     "volume-shared-between-services",
	Title:    "Volume shared between services",
	Severity: rule.Info,
	Category: rule.CatRuntime,
	Rationale: "A volume mounted by two services is a channel between them: a compromise of the more exposed service can " +
		"plant files the other one serves, parses or executes. Sometimes that is the design (a web server serving files an " +
		"application writes); then the reader should mount it read-only, and otherwise each service should own its data.",
	Fix:   "Give each service its own volume, or mount the shared one read-only (`:ro`) in every service that only reads it.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    volumes: [\"uploads:/srv/uploads\"]\n  worker:\n    image: worker:1.4\n    volumes: [\"uploads:/data\"]\nvolumes:\n  uploads:",
	Good:  "services:\n  app:\n    image: app:1.4\n    volumes: [\"uploads:/srv/uploads\"]\n  worker:\n    image: worker:1.4\n    volumes: [\"uploads:/data:ro\"]\nvolumes:\n  uploads:",
	Peers: []rule.Peer{{Tool: "kics", ID: "8c978947-0ff6-485c-b0c2-0bfca6026466"}},
	References: []string{
		"https://docs.docker.com/engine/storage/volumes/#share-data-between-machines",
		"https://docs.docker.com/reference/compose-file/volumes/",
	},
	Check: func(p *rule.Pass) error {
		type use struct {
			s *container.Spec
			m container.Mount
		}
		users := map[string][]use{}
		for _, s := range specs(p) {
			for _, m := range s.Mounts {
				if m.Source == "" || m.Type == "tmpfs" || m.Type == "npipe" {
					continue
				}
				if _, sock := runtimeSocket(m.Source); sock {
					continue
				}
				key := m.Type + "\x00" + m.Source
				if isBind(m) {
					key = "bind\x00" + cleanPath(m.Source)
				}
				users[key] = append(users[key], use{s, m})
			}
		}
		keys := make([]string, 0, len(users))
		for k := range users {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			us := users[k]
			services := map[string]bool{}
			writers := 0
			for _, u := range us {
				services[u.s.Name] = true
				if !u.m.ReadOnly {
					writers++
				}
			}
			if len(services) < 2 || writers == 0 {
				continue
			}
			for _, u := range us {
				var others []string
				for n := range services {
					if n != u.s.Name {
						others = append(others, n)
					}
				}
				sort.Strings(others)
				kind := "volume"
				if isBind(u.m) {
					kind = "host path"
				}
				report(p, mountPos(u.s, u.m, ""), 0, "%s shares %s %s with %s", who(u.s), kind, u.m.Source, joinNames(others))
			}
		}
		return nil
	},
}
