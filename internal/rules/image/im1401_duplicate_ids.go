package image

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1401 reports UIDs and GIDs shared by several accounts or groups, and
// duplicated names.
var IM1401 = &rule.Rule{
	ID:       "IM1401",
	Slug:     "duplicate-uid-gid",
	Title:    "Accounts or groups share an ID",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "The kernel knows users and groups only by number. Two accounts with the same UID are the same user for every " +
		"file and process, so an account that looks unprivileged may in fact be root (UID 0), and audit trails name the " +
		"wrong account. Duplicates usually come from hand-edited passwd files or careless useradd -o.",
	Fix:   "Give every account and group its own ID (`useradd -u`/`groupadd -g` without `-o`), and delete accounts that exist only to alias another.",
	Bad:   "FROM alpine:3.20\nRUN echo 'backup:x:0:0::/root:/bin/sh' >> /etc/passwd",
	Good:  "FROM alpine:3.20\nRUN adduser -D -u 10001 app",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-LI-0002"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0002",
	},
	Check: checkDuplicateIDs,
}

func checkDuplicateIDs(p *rule.Pass) error {
	for _, spec := range []struct{ file, what string }{{"/etc/passwd", "UID"}, {"/etc/group", "GID"}} {
		accs, ok := accounts(imageOf(p), spec.file)
		if !ok {
			continue
		}
		byID := map[string][]string{}
		var order []string
		names := map[string]int{}
		for _, a := range accs {
			if len(a.fields) < 3 || a.fields[0] == "" || strings.HasPrefix(a.fields[0], "+") || strings.HasPrefix(a.fields[0], "-") {
				continue
			}
			id := a.fields[2]
			if _, seen := byID[id]; !seen {
				order = append(order, id)
			}
			byID[id] = append(byID[id], a.fields[0])
			names[a.fields[0]]++
		}
		layer := layerOf(imageOf(p), spec.file)
		for _, id := range order {
			if ns := byID[id]; len(ns) > 1 {
				reportFile(p, layer, spec.file, "%s %s is shared by %s in %s", spec.what, id, strings.Join(ns, ", "), spec.file)
			}
		}
		for _, a := range accs {
			if len(a.fields) > 0 && names[a.fields[0]] > 1 {
				reportFile(p, layer, spec.file, "name %s appears %d times in %s", a.fields[0], names[a.fields[0]], spec.file)
				names[a.fields[0]] = 0
			}
		}
	}
	return nil
}
