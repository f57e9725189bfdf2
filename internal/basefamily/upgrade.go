package basefamily

import (
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/eol"
)

// noUpgrade are products whose next release is not a drop-in base: a
// database's new major cannot read the old one's data directory, and the
// openjdk image itself was discontinued (its successors are other images).
var noUpgrade = map[string]string{
	"postgresql": "a new PostgreSQL major needs its data directory upgraded (pg_upgrade)",
	"mysql":      "a new MySQL major needs its data directory upgraded",
	"openjdk":    "the openjdk image is discontinued; move to eclipse-temurin or another JDK image by hand",
	"centos":     "CentOS has no supported release; move to another distribution by hand",
}

// majorBound are language runtimes whose majors are incompatible languages
// (Python 2 and 3): upgrades move within a major only.
var majorBound = map[string]bool{"python": true, "ruby": true, "php": true}

// Upgrade is a tag rewritten to name supported releases.
type Upgrade struct {
	// Tag is the new tag: node:18-bullseye's 18-bullseye becomes 24-trixie.
	Tag string
	// Moves says what moved, one entry per release, oldest first in the
	// tag: From is the release the old tag named, To its successor.
	Moves []Move
}

// Move is one release of a tag replaced by its successor.
type Move struct{ From, To eol.Cycle }

// String names the move for people: "Node.js 18 to Node.js 24".
func (m Move) String() string { return m.From.String() + " to " + m.To.String() }

// Moved lists the moves in words, comma-separated.
func (u Upgrade) Moved() string {
	s := make([]string, len(u.Moves))
	for i, m := range u.Moves {
		s[i] = m.String()
	}
	return strings.Join(s, ", ")
}

// UpgradeTag rewrites tag of the official image repo so that each release
// in move names its successor (eol.Table.Successor at now): the version of
// the image's own product (node:18 to node:24) in the same spelling (a
// codename stays a codename), an Alpine variant's version (alpine3.18 to
// alpine3.23) and a Debian or Ubuntu codename (buster to trixie); the
// other words of the tag (slim, jre, fpm) stay. When the image's own
// version moves, a pinned Alpine variant moves with it, since new releases
// are not built on old Alpine versions. ok is false for a tag with a build
// date (ubuntu:focal-20240530), for products that are no drop-in upgrade
// (databases, the discontinued openjdk image), when a release has no
// supported successor (or only one across a language's major), and when
// the new tag would still name a release past end of life.
func UpgradeTag(table *eol.Table, repo, tag string, now time.Time, move []eol.Cycle) (Upgrade, bool) {
	if tag == "" || len(move) == 0 {
		return Upgrade{}, false
	}
	toks := strings.Split(tag, "-")
	for _, tok := range toks[1:] {
		if len(tok) >= 8 && strings.Trim(tok, "0123456789") == "" {
			return Upgrade{}, false
		}
	}
	own := eol.ImageProduct(repo)
	var u Upgrade
	ownMoved := false
	for _, c := range move {
		if _, no := noUpgrade[c.Product]; no {
			return Upgrade{}, false
		}
		next, ok := table.Successor(c.Product, c, now)
		if !ok || (majorBound[c.Product] && eol.Major(next.Cycle) != eol.Major(c.Cycle)) {
			return Upgrade{}, false
		}
		i, word := tagWord(toks, own, c)
		if i < 0 {
			return Upgrade{}, false
		}
		toks[i] = word(next)
		u.Moves = append(u.Moves, Move{From: c, To: next})
		ownMoved = ownMoved || (i == 0 && c.Product == own && own != "alpine")
	}
	if ownMoved {
		for i, tok := range toks[1:] {
			v, ok := strings.CutPrefix(strings.ToLower(tok), "alpine")
			if !ok || v == "" {
				continue
			}
			if cur, ok := table.Lookup("alpine", v); ok {
				if next, ok := table.Successor("alpine", cur, now); ok {
					toks[i+1] = "alpine" + next.Cycle
				}
			}
		}
	}
	u.Tag = strings.Join(toks, "-")
	for _, c := range table.Image(repo, u.Tag) {
		if c.PastEOL(now) {
			return Upgrade{}, false
		}
	}
	return u, true
}

// tagWord finds the word of a tag that names release c, and how to write
// its successor in the same spelling; the index is -1 when no word names
// it.
func tagWord(toks []string, own string, c eol.Cycle) (int, func(eol.Cycle) string) {
	byName := func(n eol.Cycle) string {
		if n.Codename == "" {
			return n.Cycle
		}
		return n.Codename
	}
	for i, tok := range toks {
		t := strings.ToLower(tok)
		switch {
		case i == 0 && c.Product == own && c.Codename != "" && t == c.Codename:
			return i, byName
		case i == 0 && c.Product == own && versionOf(t, c.Cycle):
			return i, func(n eol.Cycle) string { return n.Cycle }
		case i > 0 && c.Product == "alpine" && strings.HasPrefix(t, "alpine") && versionOf(t[len("alpine"):], c.Cycle):
			return i, func(n eol.Cycle) string { return "alpine" + n.Cycle }
		case i > 0 && c.Codename != "" && t == c.Codename:
			return i, byName
		}
	}
	return -1, nil
}

// versionOf reports whether a version as written in a tag (3.14.2,
// 20.11.1, 18) belongs to the release line cycle.
func versionOf(v, cycle string) bool {
	return v == cycle || strings.HasPrefix(v, cycle+".")
}
