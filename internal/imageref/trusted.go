// Package imageref holds what rules of every kind need to know about image
// references: whether a normalised name (docker.io/library/node) comes
// from one of a list of trusted registries. Dockerfile bases (DF1202) and
// compose images (RT1038) share it so that one trust.registries list means
// the same everywhere.
package imageref

import (
	"regexp"
	"strings"

	"github.com/distribution/reference"
)

// hubAliases are the other names of Docker Hub, counted as docker.io.
var hubAliases = []string{"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"}

// Normalize returns the normalised repository name of ref (node:20 ->
// docker.io/library/node) and its registry, or ok false when ref is not a
// reference (an unresolved variable, an image ID).
func Normalize(ref string) (name, domain string, ok bool) {
	n, err := reference.ParseNormalizedNamed(strings.TrimSpace(ref))
	if err != nil {
		return "", "", false
	}
	return n.Name(), reference.Domain(n), true
}

// Trusted reports whether the normalised name starts with one of the
// registries at a path boundary. A registry may carry a path prefix
// (gcr.io/distroless) and `*` wildcards within one segment (*.example.com);
// Docker Hub's aliases count as docker.io.
func Trusted(registries []string, name string) bool {
	name = strings.ToLower(name)
	for _, r := range registries {
		r = strings.ToLower(strings.Trim(strings.TrimSpace(r), "/"))
		r = strings.TrimPrefix(strings.TrimPrefix(r, "https://"), "http://")
		for _, alias := range hubAliases {
			if rest, ok := strings.CutPrefix(r, alias); ok && (rest == "" || rest[0] == '/') {
				r = "docker.io" + rest
			}
		}
		if r == "" {
			continue
		}
		if pattern(r).MatchString(name) {
			return true
		}
	}
	return false
}

// pattern matches a name under a registry prefix: `*` stays within one
// path segment, so *.example.com cannot match evil.com/x.example.com.
func pattern(prefix string) *regexp.Regexp {
	var b strings.Builder
	for _, r := range prefix {
		if r == '*' {
			b.WriteString(`[^/]*`)
		} else {
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return regexp.MustCompile(`^` + b.String() + `(/.*)?$`)
}
