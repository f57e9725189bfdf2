package harden

import (
	"archive/tar"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// The uid range an existing account is chosen from when the image runs as
// root: the regular-user range of Debian's and Alpine's adduser.conf
// (system accounts below, nobody and the reserved ids above).
const (
	firstRegularUID = 1000
	lastRegularUID  = 59999
	nobodyUID       = 65534
	// firstCreatedUID is where a free id for --user is looked for: above
	// every distribution's regular range start, as distroless's 65532 and
	// the common 10001 convention.
	firstCreatedUID = 10001
)

// validName is what useradd accepts by default (NAME_REGEX of adduser).
var validName = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)

// passwdEntry is one line of /etc/passwd.
type passwdEntry struct {
	name     string
	uid, gid int
}

func parsePasswd(data []byte) []passwdEntry {
	var out []passwdEntry
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimSpace(l), ":")
		if len(f) < 4 || strings.HasPrefix(f[0], "#") {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, passwdEntry{name: f[0], uid: uid, gid: gid})
	}
	return out
}

// groupIDs returns the gids /etc/group uses.
func groupIDs(data []byte) map[int]bool {
	out := map[int]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimSpace(l), ":")
		if len(f) >= 3 {
			if gid, err := strconv.Atoi(f[2]); err == nil {
				out[gid] = true
			}
		}
	}
	return out
}

// user decides the configuration user: an account named by --user (made
// when missing), or, for an image that runs as root, the lowest regular
// account, else nobody.
func (pl *planner) user() error {
	if pl.opts.KeepUser || strings.EqualFold(pl.im.Config.OS, "windows") {
		return nil
	}
	if pl.opts.User == "" && !imrules.IsRootUser(pl.im.Config.User) {
		return nil
	}
	passwd, hasPasswd := pl.im.ReadCaptured("/etc/passwd")
	accounts := parsePasswd(passwd)
	if name := pl.opts.User; name != "" {
		for _, a := range accounts {
			if a.name == name {
				if a.uid == 0 {
					return fmt.Errorf("--user %s: %w: the account has uid 0 (root)", name, ErrRefused)
				}
				pl.setUser(a, "existing account")
				return nil
			}
		}
		return pl.addUser(name, passwd, hasPasswd, accounts)
	}
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].uid < accounts[j].uid })
	for _, a := range accounts {
		if a.uid >= firstRegularUID && a.uid <= lastRegularUID {
			pl.setUser(a, "the image's first regular account")
			return nil
		}
	}
	for _, a := range accounts {
		if a.uid == nobodyUID || a.name == "nobody" && a.uid != 0 {
			pl.setUser(a, "the image's unprivileged nobody account")
			return nil
		}
	}
	pl.plan.Notes = append(pl.plan.Notes, "the image keeps running as root: /etc/passwd holds no unprivileged account (--user NAME creates one)")
	return nil
}

func (pl *planner) setUser(a passwdEntry, why string) {
	pl.plan.User = fmt.Sprintf("%d:%d", a.uid, a.gid)
	from := pl.im.Config.User
	if from == "" {
		from = "root (unset)"
	}
	pl.plan.Changes = append(pl.plan.Changes, Change{Kind: SetUser, Detail: fmt.Sprintf("user %s -> %s (%s, %s)", from, pl.plan.User, a.name, why)})
}

// accountFiles are the files an account is written to, and the line each
// gets; shadow files only when the image has them.
type accountFile struct {
	path     string
	optional bool
	line     func(name string, id int) string
}

var accountFiles = []accountFile{
	{"/etc/passwd", false, func(n string, id int) string {
		return fmt.Sprintf("%s:x:%d:%d::/nonexistent:/usr/sbin/nologin\n", n, id, id)
	}},
	{"/etc/group", false, func(n string, id int) string { return fmt.Sprintf("%s:x:%d:\n", n, id) }},
	{"/etc/shadow", true, func(n string, _ int) string { return n + ":!::0:99999:7:::\n" }},
	{"/etc/gshadow", true, func(n string, _ int) string { return n + ":!::\n" }},
}

// addUser plans a new account: a line in passwd and group (and shadow and
// gshadow when the image has them) with the first uid from 10001 that is
// neither a uid nor a gid yet. Each file is rewritten in place, in the
// layer that holds its final copy, so that no earlier copy becomes
// reclaimable bytes; a file the image lacks is added.
func (pl *planner) addUser(name string, passwd []byte, hasPasswd bool, accounts []passwdEntry) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("--user %q: %w: an account name is lower-case letters, digits, _ and -, starting with a letter or _", name, ErrRefused)
	}
	group, _ := pl.im.ReadCaptured("/etc/group")
	used := groupIDs(group)
	for _, a := range accounts {
		used[a.uid] = true
	}
	id := firstCreatedUID
	for used[id] {
		id++
	}
	for _, af := range accountFiles {
		old, ok := pl.im.ReadCaptured(af.path)
		f, _ := pl.im.File(af.path)
		switch {
		case ok && f != nil && f.Mode.IsRegular() && f.Typeflag != tar.TypeLink && f.Typeflag != tar.TypeSymlink:
			r, found := pl.last(af.path)
			if !found {
				return fmt.Errorf("--user: %w: %s is not where the model says", ErrRefused, af.path)
			}
			body := append([]byte(nil), old...)
			if len(body) > 0 && !bytes.HasSuffix(body, []byte("\n")) {
				body = append(body, '\n')
			}
			body = append(body, af.line(name, id)...)
			pl.layer(r.layer).replace[r.key] = body
			pl.plan.Changes = append(pl.plan.Changes, Change{Kind: AddUser, Path: af.path, Layers: []int{r.layer}, Detail: fmt.Sprintf("add %s (%d)", name, id)})
		case f != nil:
			return fmt.Errorf("--user: %w: %s is not a regular file the account can be added to", ErrRefused, af.path)
		case af.optional:
			continue
		default:
			body := ""
			if af.path == "/etc/passwd" && !hasPasswd {
				body = "root:x:0:0:root:/root:/usr/sbin/nologin\n"
			} else if af.path == "/etc/group" {
				body = "root:x:0:\n"
			}
			body += af.line(name, id)
			pl.plan.added = append(pl.plan.added, addedFile{path: af.path, mode: 0o644, body: []byte(body)})
			pl.plan.Changes = append(pl.plan.Changes, Change{Kind: AddUser, Path: af.path, Detail: fmt.Sprintf("new file with %s (%d)", name, id)})
		}
	}
	pl.setUser(passwdEntry{name: name, uid: id, gid: id}, "created")
	return nil
}
