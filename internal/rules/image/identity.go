package image

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/distro"
)

// eolCycle returns the release line the end-of-life table uses for r:
// Debian counts by major version (by codename for testing), Alpine and
// Ubuntu by major.minor.
func eolCycle(r distro.Release) string {
	v := r.VersionID
	switch r.ID {
	case "debian":
		v, _, _ = strings.Cut(v, ".")
		if v == "" {
			return r.Codename
		}
	case "alpine":
		parts := strings.Split(v, ".")
		if len(parts) >= 2 {
			v = parts[0] + "." + parts[1]
		}
	}
	return v
}
