package eol

import (
	"strconv"
	"strings"
	"time"
)

// ImageProduct returns the product an official image's tag version names
// (node is nodejs, golang is go), or "" for repositories whose tags name
// no product version.
func ImageProduct(repo string) string { return imageProducts[strings.ToLower(repo)] }

// Successor returns the release line of product to move to from one that
// ended: of the lines supported at now and newer than from, the one whose
// support lasts longest (a line with no announced end counts as lasting
// longest, ties go to the newer version). For Node.js and Ubuntu that is
// the newest long-term release rather than a short-lived current one.
// ok is false when no newer line is supported.
func (t *Table) Successor(product string, from Cycle, now time.Time) (Cycle, bool) {
	var best Cycle
	found := false
	for _, c := range t.products[normProduct(product)] {
		if c.PastEOL(now) || compareCycles(c.Cycle, from.Cycle) <= 0 {
			continue
		}
		if !found || lastsLonger(c, best) {
			best, found = c, true
		}
	}
	return best, found
}

// lastsLonger reports whether a's support ends after b's, a newer version
// breaking ties.
func lastsLonger(a, b Cycle) bool {
	switch {
	case a.EOL.IsZero() && !b.EOL.IsZero():
		return true
	case !a.EOL.IsZero() && b.EOL.IsZero():
		return false
	case !a.EOL.Equal(b.EOL):
		return a.EOL.After(b.EOL)
	}
	return compareCycles(a.Cycle, b.Cycle) > 0
}

// compareCycles orders dotted numeric release lines (3.9 < 3.10); a
// component that is not a number compares as text.
func compareCycles(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y string
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		nx, errx := strconv.Atoi(x)
		ny, erry := strconv.Atoi(y)
		switch {
		case x == y:
			continue
		case errx == nil && erry == nil:
			if nx < ny {
				return -1
			}
			return 1
		case x < y:
			return -1
		default:
			return 1
		}
	}
	return 0
}

// Major returns the first component of a release line ("3" of "3.12").
func Major(cycle string) string {
	m, _, _ := strings.Cut(cycle, ".")
	return m
}
