package vuln

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// TestDebVersionAgainstDpkg checks every dpkg ordering the matcher relies
// on (epochs, ~, revisions, +bN binNMUs, +debNuM stable updates) against
// this machine's dpkg --compare-versions.
func TestDebVersionAgainstDpkg(t *testing.T) {
	haveDpkg(t)
	pairs := [][2]string{
		{"1:2.38.1-5+deb12u3", "2.38.1-5+deb12u3"},
		{"2.36-9+deb12u14", "2.36-9+deb12u3"},
		{"2.36-9+deb12u4", "2.36-9+deb12u14"},
		{"2.36-9", "2.36-9+deb12u1"},
		{"1:2.66-4+deb12u3+b1", "1:2.66-4+deb12u3"},
		{"252.39-1~deb12u2", "252.39-1"},
		{"252.39-1~deb12u2", "252.6-1"},
		{"5.7-0.5~deb12u1", "5.7-0.5"},
		{"1.0~rc1", "1.0"},
		{"1.0~~", "1.0~"},
		{"1.0", "1.0-0"},
		{"1.0-1", "1.0+1"},
		{"3.0.11-1~deb12u2", "3.0.9-1"},
		{"8:6.9.11.24+dfsg-1", "8:6.9.9.34+dfsg-3"},
		{"0:1.2", "1.2"},
		{"1.2a", "1.2"},
		{"1.2.3", "1.2.3.0"},
		{"12.2.0-14+deb12u1", "12.2.0-14"},
		{"1:4.13+dfsg1-1+deb12u2", "1:4.13+dfsg1-1+b1"},
		{"2.2-1", "2.36-9"},
		{"4.19.0-2+deb12u1", "4.19.0-2"},
		{"10.0.0~dfsg-11+deb12u1", "10.0.0~dfsg-11"},
		{"7:2.4.1-1", "2.4.1-1"},
		{"1.3.5-6", "1.3.5-6.1"},
	}
	for _, p := range pairs {
		for _, ab := range [][2]string{p, {p[1], p[0]}, {p[0], p[0]}} {
			a, b := ab[0], ab[1]
			got, err := compareDeb(a, b)
			if err != nil {
				t.Fatalf("compareDeb(%q, %q): %v", a, b, err)
			}
			var want int
			switch {
			case dpkgCompare(t, a, "lt", b):
				want = -1
			case dpkgCompare(t, a, "gt", b):
				want = 1
			}
			if got != want {
				t.Errorf("compareDeb(%q, %q) = %d, dpkg says %d", a, b, got, want)
			}
		}
	}
}

func TestEcosystemOrderings(t *testing.T) {
	cases := []struct {
		eco, a, b string
		want      int
	}{
		{"Alpine:v3.11", "1.1.1d-r2", "1.1.1g-r0", -1},
		{"Alpine:v3.11", "1.1.1g-r0", "1.1.1d-r3", 1},
		{"Alpine:v3.11", "1.31.1-r9", "1.31.1-r10", -1},
		{"Alpine:v3.11", "2.10_rc1-r0", "2.10-r0", -1},
		{"Alpine:v3.11", "1.2.11_p2-r0", "1.2.11-r0", 1},
		{"Go", "v0.7.0", "0.7.0", 0},
		{"Go", "v0.0.0-20190620200207-3b0461eec859", "0.0.0-20211209124913-491a49abca63", -1},
		{"Go", "go1.21.3", "1.21.4", -1},
		{"Go", "go1.21rc2", "1.21.0", -1},
		{"Go", "1.16.0-0", "1.16.0", -1},
		{"npm", "1.2.3-beta.1", "1.2.3", -1},
		{"npm", "4.17.21", "4.17.20", 1},
		{"PyPI", "2.0.0rc1", "2.0.0", -1},
		{"PyPI", "1.0.post1", "1.0", 1},
		{"PyPI", "1!0.5", "2.0", 1},
		{"PyPI", "1.26.5", "1.26.18", -1},
		{"Maven", "2.14.0-rc1", "2.14.0", -1},
		{"Maven", "1.0-SNAPSHOT", "1.0", -1},
		{"Maven", "2.9.10.8", "2.9.10", 1},
		{"Red Hat", "1:1.0-1.el8", "1.5-1.el8", 1},
		{"Red Hat", "1.0~rc1-1", "1.0-1", -1},
	}
	for _, c := range cases {
		cmp := ComparerFor(c.eco)
		if cmp == nil {
			t.Fatalf("no comparer for %s", c.eco)
		}
		got, err := cmp.Compare(c.a, c.b)
		if err != nil {
			t.Errorf("%s: %q vs %q: %v", c.eco, c.a, c.b, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: compare(%q, %q) = %d, want %d", c.eco, c.a, c.b, got, c.want)
		}
	}
	if ComparerFor("Hex") != nil {
		t.Error("unknown ecosystem must have no comparer (no guessing)")
	}
}

// TestInRangeOSVSchema follows the examples of the OSV schema's
// "evaluation" section.
func TestInRangeOSVSchema(t *testing.T) {
	cmp := ComparerFor("PyPI")
	rg := func(evs ...Event) Range { return Range{Type: "ECOSYSTEM", Events: evs} }
	cases := []struct {
		name  string
		r     Range
		v     string
		want  bool
		fixed string
	}{
		{"introduced 0 fixed", rg(Event{Introduced: "0"}, Event{Fixed: "1.5"}), "1.4", true, "1.5"},
		{"at fixed", rg(Event{Introduced: "0"}, Event{Fixed: "1.5"}), "1.5", false, ""},
		{"before introduced", rg(Event{Introduced: "1.0"}, Event{Fixed: "1.5"}), "0.9", false, ""},
		{"at introduced", rg(Event{Introduced: "1.0"}, Event{Fixed: "1.5"}), "1.0", true, "1.5"},
		{"two ranges, gap", rg(Event{Introduced: "1.0"}, Event{Fixed: "1.5"}, Event{Introduced: "2.0"}, Event{Fixed: "2.3"}), "1.7", false, ""},
		{"two ranges, second", rg(Event{Introduced: "2.0"}, Event{Fixed: "2.3"}, Event{Introduced: "1.0"}, Event{Fixed: "1.5"}), "2.1", true, "2.3"},
		{"last_affected inclusive", rg(Event{Introduced: "0"}, Event{LastAffected: "1.5"}), "1.5", true, ""},
		{"after last_affected", rg(Event{Introduced: "0"}, Event{LastAffected: "1.5"}), "1.5.1", false, ""},
		{"open ended", rg(Event{Introduced: "1.0"}), "99", true, ""},
		{"limit", rg(Event{Introduced: "0"}, Event{Limit: "2.0"}), "2.0", false, ""},
		{"below limit", rg(Event{Introduced: "0"}, Event{Limit: "2.0"}), "1.9", true, ""},
	}
	for _, c := range cases {
		got, fixed, err := InRange(cmp, c.v, c.r)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want || fixed != c.fixed {
			t.Errorf("%s: InRange(%s) = %v, %q; want %v, %q", c.name, c.v, got, fixed, c.want, c.fixed)
		}
	}
}

func TestSeverity(t *testing.T) {
	cases := []struct {
		sev  []Severity
		want rule.Severity
	}{
		{[]Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}, rule.Critical}, // 9.8
		{[]Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}}, rule.High},     // 7.5
		{[]Severity{{Type: "CVSS_V3", Score: "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"}}, rule.Medium},   // 4.2
		{[]Severity{{Type: "CVSS_V4", Score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}, rule.Critical},
		{[]Severity{{Type: "database_specific", Score: "MODERATE"}}, rule.Medium},
		{nil, rule.Unknown},
	}
	for _, c := range cases {
		got, _ := AdvisorySeverity(Advisory{ID: "X", Severity: c.sev})
		if got != c.want {
			t.Errorf("%v: got %s want %s", c.sev, got, c.want)
		}
	}
	if s, _, _ := CVSSScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"); s != 9.8 {
		t.Errorf("score %v, want 9.8", s)
	}
}
