package eol

import (
	"testing"
	"time"
)

func TestSuccessor(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tab := Default()
	for _, c := range []struct{ product, from, want string }{
		{"nodejs", "18", "24"}, // the LTS line, not the short-lived 25
		{"debian", "10", "13"}, // trixie outlives bookworm
		{"ubuntu", "20.04", "24.04"},
		{"python", "3.7", "3.14"},
		{"go", "1.19", "1.26"},
		{"alpine", "3.14", "3.23"},
		{"centos", "7", ""}, // no supported CentOS line
	} {
		from, ok := tab.Lookup(c.product, c.from)
		if !ok {
			t.Fatalf("%s %s not in the table", c.product, c.from)
		}
		got, ok := tab.Successor(c.product, from, now)
		if got.Cycle != c.want || ok != (c.want != "") {
			t.Errorf("Successor(%s %s) = %q %v, want %q", c.product, c.from, got.Cycle, ok, c.want)
		}
		if ok && got.PastEOL(now) {
			t.Errorf("Successor(%s %s) = %s, itself past end of life", c.product, c.from, got.Cycle)
		}
	}
}

func TestCompareCycles(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"3.9", "3.10", -1}, {"10", "9", 1}, {"1.26", "1.26", 0}, {"22.04", "22.10", -1}} {
		if got := compareCycles(c.a, c.b); got != c.want {
			t.Errorf("compareCycles(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
