package recommend

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
)

// Mirrors maps a registry (docker.io, gcr.io) to the registry and path
// prefix that serves its repositories instead: a pull-through cache or the
// registry of an air-gapped site. With docker.io=harbor.example.com/hub,
// node:22 is read from harbor.example.com/hub/library/node:22. Like
// containerd's registry mirrors, a mirror serves the same paths.
type Mirrors map[string]string

// Set reads one mirror, REGISTRY=MIRROR[/PREFIX]; index.docker.io is
// docker.io.
func (m Mirrors) Set(s string) error {
	reg, to, ok := strings.Cut(s, "=")
	reg, to = strings.TrimSpace(reg), strings.TrimRight(strings.TrimSpace(to), "/")
	if !ok || reg == "" || to == "" || strings.Contains(reg, "/") {
		return fmt.Errorf("%q: want REGISTRY=MIRROR[/PREFIX], e.g. docker.io=mirror.example.com/hub", s)
	}
	m[normRegistry(reg)] = to
	return nil
}

func normRegistry(r string) string {
	r = strings.ToLower(r)
	if r == "index.docker.io" || r == "registry-1.docker.io" {
		return "docker.io"
	}
	return r
}

// hubPath returns the Docker Hub path (library/node) of a repository
// named through a docker.io mirror.
func (m Mirrors) hubPath(name string) (string, bool) {
	to, ok := m["docker.io"]
	if !ok {
		return "", false
	}
	p, ok := strings.CutPrefix(name, to+"/")
	return p, ok
}

// Resolve returns where ref is read from: its own registry, or the mirror
// given for that registry.
func (m Mirrors) Resolve(ref string) (string, error) {
	named, err := reference.ParseNormalizedNamed(strings.TrimPrefix(ref, "registry:"))
	if err != nil {
		return "", fmt.Errorf("%s: not an image reference: %w", ref, err)
	}
	to, ok := m[normRegistry(reference.Domain(named))]
	if !ok {
		return named.String(), nil
	}
	out := to + "/" + reference.Path(named)
	if t, ok := named.(reference.Tagged); ok {
		out += ":" + t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		out += "@" + d.Digest().String()
	}
	return out, nil
}
