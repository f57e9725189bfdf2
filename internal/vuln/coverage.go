package vuln

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Gap is a group of packages Match could not assess: their
// vulnerabilities are unknown, not absent, and a report must say so rather
// than read clean.
type Gap struct {
	// Ecosystem is the packages' (one of the sbom.Eco* names).
	Ecosystem string
	// Packages counts the distinct packages (name and version).
	Packages int
	// Reason says why, for a person.
	Reason string
}

// String reads "14 Alpine packages: the distribution is not identified".
func (g Gap) String() string {
	s := "s"
	if g.Packages == 1 {
		s = ""
	}
	return fmt.Sprintf("%d %s package%s: %s", g.Packages, g.Ecosystem, s, g.Reason)
}

// ReasonNoDistro is the Gap reason of OS packages in a filesystem whose
// distribution no release file names.
const ReasonNoDistro = "no os-release or distribution release file names the distribution"

// Gaps returns the packages Match cannot assess against a database that
// holds advisories for the ecosystems held says yes to: OS packages whose
// distribution, or its release, is unknown (Targets gives no query), and
// packages whose every query names an advisory ecosystem ("Debian:11",
// "npm") the database holds nothing for. A Go module built from a working
// tree ("(devel)") has no release to look up and is not counted.
func Gaps(pkgs []sbom.Package, distro *sbom.Distro, held func(ecosystem string) bool) []Gap {
	type key struct{ eco, reason string }
	seen := map[key]map[string]bool{}
	for _, p := range pkgs {
		reason := gapReason(p, distro, held)
		if reason == "" {
			continue
		}
		k := key{p.Ecosystem, reason}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][p.Name+"\x00"+p.Version] = true
	}
	out := make([]Gap, 0, len(seen))
	for k, ps := range seen {
		out = append(out, Gap{Ecosystem: k.eco, Packages: len(ps), Reason: k.reason})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Ecosystem != out[j].Ecosystem {
			return out[i].Ecosystem < out[j].Ecosystem
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// gapReason says why p cannot be assessed, or "" when it can (or has no
// release to assess).
func gapReason(p sbom.Package, distro *sbom.Distro, held func(string) bool) string {
	qs := Targets(p, distro)
	if len(qs) == 0 {
		if !isOSEcosystem(p.Ecosystem) {
			return ""
		}
		switch {
		case distro == nil:
			return ReasonNoDistro
		case distro.VersionID == "":
			return strings.TrimSpace(distro.ID+" "+distro.Codename) + " has no release number to look advisories up by"
		}
		return fmt.Sprintf("no advisory source is known for %s", distro.Name())
	}
	for _, q := range qs {
		if held(q.Ecosystem) {
			return ""
		}
	}
	return "the vulnerability database holds no advisories for " + qs[0].Ecosystem
}

func isOSEcosystem(eco string) bool {
	switch eco {
	case sbom.EcoDebian, sbom.EcoUbuntu, sbom.EcoAlpine, sbom.EcoRPM:
		return true
	}
	return false
}
