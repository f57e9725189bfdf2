package image

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1000 reports an image whose configuration runs the container as root:
// no User at all, or root by name or UID 0. It is the image-side twin of
// DF1100/DF1101 and of CIS 4.1, and it also catches images built by tools
// other than docker build, where there is no Dockerfile to lint.
var IM1000 = &rule.Rule{
	ID:       "IM1000",
	Slug:     "image-runs-as-root",
	Title:    "Image runs as root",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "The configured user is the account every container of the image starts as unless the runtime overrides it. " +
		"Root inside the container can rewrite the image's binaries, read every mounted secret and use any kernel or " +
		"runtime weakness with root's capabilities; most applications need none of that.",
	Fix:   "Create an unprivileged user and set it as the image's user (`USER 10001` as the last USER of the final stage, or `config.User` in the build tool).",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"app\"]",
	Good:  "FROM debian:12\nRUN useradd -r -u 10001 app\nUSER 10001\nCMD [\"app\"]",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0001"}, {Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#user",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0001",
	},
	Check: checkImageRoot,
}

// isRootUser reports whether a config User value means root: empty, the
// name root, or UID 0 (with or without a group).
func isRootUser(u string) bool {
	u = strings.TrimSpace(u)
	name, _, _ := strings.Cut(u, ":")
	return u == "" || name == "root" || name == "0"
}

func checkImageRoot(p *rule.Pass) error {
	u := imageOf(p).Config.User
	if !isRootUser(u) {
		return nil
	}
	if strings.EqualFold(imageOf(p).Config.OS, "windows") {
		return nil
	}
	if strings.TrimSpace(u) == "" {
		reportConfig(p, "", "the image sets no user, so containers run as root")
		return nil
	}
	instr := lastHistory(imageOf(p), func(c string) bool { return keyword(c) == "USER" })
	reportConfig(p, instr, "the image's user is %q, so containers run as root", u)
	return nil
}
