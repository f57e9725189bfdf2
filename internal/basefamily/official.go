package basefamily

import "strings"

// libraryMirrors are registries that republish Docker's official images
// under a library/ path.
var libraryMirrors = []string{
	"public.ecr.aws/docker/library/",
	"mirror.gcr.io/library/",
	"mcr.microsoft.com/mirror/docker/library/",
}

// Official returns the repository name when domain/path is a Docker
// official image ("node" for docker.io/library/node), including the
// well-known mirrors of the library namespace, else "".
func Official(domain, path string) string {
	if domain == "docker.io" {
		if r, ok := strings.CutPrefix(path, "library/"); ok && !strings.Contains(r, "/") {
			return r
		}
		return ""
	}
	full := domain + "/" + path
	for _, m := range libraryMirrors {
		if r, ok := strings.CutPrefix(full, m); ok && !strings.Contains(r, "/") {
			return r
		}
	}
	return ""
}
