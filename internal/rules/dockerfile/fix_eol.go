package dockerfile

import (
	"strings"
	"time"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds DF1204's review fix: move an end-of-life base to a
// supported release of the same image and variant.

// eolNoUpgrade are products whose next release is not a drop-in base: a
// database's new major cannot read the old one's data directory, and the
// openjdk image itself was discontinued (its successors are other images).
var eolNoUpgrade = map[string]string{
	"postgresql": "a new PostgreSQL major needs its data directory upgraded (pg_upgrade)",
	"mysql":      "a new MySQL major needs its data directory upgraded",
	"openjdk":    "the openjdk image is discontinued; move to eclipse-temurin or another JDK image by hand",
	"centos":     "CentOS has no supported release; move to another distribution by hand",
}

// eolMajorBound are language runtimes whose majors are incompatible
// languages (Python 2 and 3): the fix moves within a major only.
var eolMajorBound = map[string]bool{"python": true, "ruby": true, "php": true}

// eolUpgradeFix is the fix that rewrites the base reference of st to a tag
// naming a supported release for each release of its tag that ended: the
// version of the image's own product (node:18 to node:24) in the same
// spelling (a codename stays a codename), an Alpine variant's version
// (alpine3.18 to alpine3.23) and a Debian or Ubuntu codename (buster to
// trixie); the other words of the tag (slim, jre, fpm) stay. When the
// image's own version moves, a pinned Alpine variant moves with it, since
// new releases are not built on old Alpine versions. No fix is offered for
// a reference built from ARGs, one pinned by digest (the digest would no
// longer match; re-pin with `fix --pin`), a tag with a build date
// (ubuntu:focal-20240530), or when a release has no supported successor.
func eolUpgradeFix(st *df.Stage, b df.BaseImage, table *eol.Table, now time.Time, ended []eol.Cycle) []rule.Fix {
	if strings.Contains(st.BaseName, "$") || b.Digest != "" || b.Tag == "" {
		return nil
	}
	toks := strings.Split(b.Tag, "-")
	for _, tok := range toks[1:] {
		if len(tok) >= 8 && strings.Trim(tok, "0123456789") == "" {
			return nil
		}
	}
	own := eol.ImageProduct(b.Official)
	var moved []string
	ownMoved := false
	for _, c := range ended {
		if _, no := eolNoUpgrade[c.Product]; no {
			return nil
		}
		next, ok := table.Successor(c.Product, c, now)
		if !ok || (eolMajorBound[c.Product] && eol.Major(next.Cycle) != eol.Major(c.Cycle)) {
			return nil
		}
		i, word := eolTagWord(toks, own, c)
		if i < 0 {
			return nil
		}
		toks[i] = word(next)
		moved = append(moved, c.String()+" to "+next.String())
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
	tag := strings.Join(toks, "-")
	for _, c := range table.Image(b.Official, tag) {
		if c.PastEOL(now) {
			return nil
		}
	}
	name, _, _ := strings.Cut(st.BaseName, "@")
	at := strings.LastIndex(name, ":")
	if at < 0 || at < strings.LastIndex(name, "/") {
		return nil
	}
	r := st.BaseRange()
	if r.EndCol == 0 {
		return nil
	}
	return []rule.Fix{{
		Title: "move the base to " + name[:at+1] + tag + ": " + strings.Join(moved, ", ") +
			"; packages, libraries and language behaviour change with the release, so build and test it",
		Level: rule.FixReview,
		Edits: []rule.Edit{{Range: r, New: name[:at+1] + tag}},
	}}
}

// eolTagWord finds the word of a tag that names release c, and how to
// write its successor in the same spelling; the index is -1 when no word
// names it.
func eolTagWord(toks []string, own string, c eol.Cycle) (int, func(eol.Cycle) string) {
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
		case i == 0 && c.Product == own && eolVersionOf(t, c.Cycle):
			return i, func(n eol.Cycle) string { return n.Cycle }
		case i > 0 && c.Product == "alpine" && strings.HasPrefix(t, "alpine") && eolVersionOf(t[len("alpine"):], c.Cycle):
			return i, func(n eol.Cycle) string { return "alpine" + n.Cycle }
		case i > 0 && c.Codename != "" && t == c.Codename:
			return i, byName
		}
	}
	return -1, nil
}

// eolVersionOf reports whether a version as written in a tag (3.14.2,
// 20.11.1, 18) belongs to the release line cycle.
func eolVersionOf(v, cycle string) bool {
	return v == cycle || strings.HasPrefix(v, cycle+".")
}
