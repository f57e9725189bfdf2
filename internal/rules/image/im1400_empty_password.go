package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1400 reports accounts with an empty password in /etc/shadow (or in
// /etc/passwd when the image has no shadow file).
var IM1400 = &rule.Rule{
	ID:       "IM1400",
	Slug:     "empty-password",
	Title:    "Account with an empty password",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "An account whose password field is empty can be entered without a password by su, login and any PAM service " +
		"that allows null passwords. In a container that ships su or a login service this hands the account (often root) " +
		"to any local process. Locked accounts use `!` or `*` instead.",
	Fix:   "Lock the account (`passwd -l NAME` or `usermod -L NAME`), or remove it; never ship an empty password field.",
	Bad:   "FROM alpine:3.20\nRUN passwd -d root",
	Good:  "FROM alpine:3.20\nRUN passwd -l root",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-LI-0001"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0001",
		"https://man7.org/linux/man-pages/man5/shadow.5.html",
	},
	Check: checkEmptyPassword,
}

func checkEmptyPassword(p *rule.Pass) error {
	im := imageOf(p)
	file := "/etc/shadow"
	accs, ok := accounts(im, file)
	if !ok {
		file = "/etc/passwd"
		if accs, ok = accounts(im, file); !ok {
			return nil
		}
	}
	for _, a := range accs {
		if len(a.fields) >= 2 && a.fields[0] != "" && a.fields[1] == "" {
			reportFile(p, layerOf(im, file), file, "account %s has an empty password in %s (line %d)", a.fields[0], file, a.line)
		}
	}
	return nil
}
