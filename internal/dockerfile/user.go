package dockerfile

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// User returns the user and group a USER instruction names, with build
// arguments and ENV values substituted, and its argument as written. All
// are "" for a nil instruction or one without an argument.
func (in *Instruction) User() (user, group, raw string) {
	if in == nil || len(in.Args) == 0 {
		return "", "", ""
	}
	raw = in.Args[0]
	if c, ok := in.Command.(*instructions.UserCommand); ok && c.User != "" {
		raw = c.User
	}
	v, _ := in.Expand(raw)
	user, group, _ = strings.Cut(strings.TrimSpace(v), ":")
	return user, group, raw
}

// IsRoot reports whether a user name or UID means the superuser. On
// Windows the administrator accounts play that part.
func IsRoot(user string, windows bool) bool {
	u := strings.TrimSpace(user)
	if u == "root" {
		return true
	}
	if n, err := strconv.Atoi(u); err == nil && n == 0 && !strings.HasPrefix(u, "-") {
		return true
	}
	if windows {
		switch strings.ToLower(u) {
		case "containeradministrator", "administrator", "nt authority\\system":
			return true
		}
	}
	return false
}
