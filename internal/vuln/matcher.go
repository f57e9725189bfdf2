package vuln

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// FixState tells "upgrade to X" from "no fix yet".
type FixState string

// Fix states.
const (
	FixStateFixed       FixState = "fixed"
	FixStateNotFixed    FixState = "not-fixed"
	FixStateWontFix     FixState = "wont-fix"
	FixStateNotAffected FixState = "not-affected"
)

// Result is one package affected by one advisory.
type Result struct {
	Package sbom.Package
	// Locations lists every place the same package (ecosystem, name,
	// version) was seen; Package is the first of them.
	Locations []string
	// ID is the advisory reported; Aliases merges the ids of every
	// advisory that described the same vulnerability for this package.
	ID      string
	Aliases []string
	Summary string
	// Ecosystem is the advisory ecosystem that matched ("Debian:12").
	Ecosystem string
	// Queried is the package name looked up (the source package for
	// distro packages) and the version compared.
	Queried        string
	QueriedVersion string
	Severity       rule.Severity
	Score          float64
	// SeverityFrom says where Severity came from when it is not the
	// advisory's own: another feed's record of the same vulnerability.
	SeverityFrom string
	FixedVersion string
	FixState     FixState
	Source       string
	References   []string
}

// Options tunes Match.
type Options struct {
	// NotAffected, when set, marks results a VEX statement declares not
	// affected (FixState not-affected); they are kept so that callers can
	// show them as suppressed.
	NotAffected func(id string, aliases []string, pkg sbom.Package) bool
	// OnSkip receives what could not be compared (an unparseable version
	// or range); matching goes on with the rest.
	OnSkip func(error)
}

// Query is one store lookup for a package: the advisory ecosystem, the
// name advisories use and the version to compare.
type Query struct {
	Ecosystem, Name, Version string
}

// Targets returns the advisory ecosystems, names and versions a package
// is looked up under. Distro packages are scoped by the distro release and
// looked up by source package; language packages only in their own
// ecosystem, never by name alone elsewhere.
func Targets(p sbom.Package, distro *sbom.Distro) []Query {
	switch p.Ecosystem {
	case sbom.EcoDebian, sbom.EcoUbuntu:
		if distro == nil || distro.VersionID == "" {
			return nil
		}
		name, ver := p.Name, p.Version
		if p.SourceName != "" {
			name = p.SourceName
		}
		if p.SourceVersion != "" {
			ver = p.SourceVersion
		}
		if p.Ecosystem == sbom.EcoUbuntu {
			return []Query{{"Ubuntu:" + distro.VersionID, name, ver}, {"Ubuntu:" + distro.VersionID + ":LTS", name, ver}}
		}
		major, _, _ := strings.Cut(distro.VersionID, ".")
		return []Query{{"Debian:" + major, name, ver}}
	case sbom.EcoAlpine:
		if distro == nil || distro.VersionID == "" {
			return nil
		}
		parts := strings.SplitN(distro.VersionID, ".", 3)
		if len(parts) < 2 {
			return nil
		}
		name := p.Name
		if p.SourceName != "" {
			name = p.SourceName
		}
		return []Query{{"Alpine:v" + parts[0] + "." + parts[1], name, p.Version}}
	case sbom.EcoRPM:
		if distro == nil {
			return nil
		}
		eco := map[string]string{"rhel": "Red Hat", "rocky": "Rocky Linux", "almalinux": "AlmaLinux",
			"opensuse-leap": "openSUSE", "sles": "SUSE", "mageia": "Mageia", "openEuler": "openEuler"}[distro.ID]
		if eco == "" {
			return nil
		}
		return []Query{{eco, p.Name, p.Version}}
	case sbom.EcoGo:
		if p.Version == "" || p.Version == "(devel)" || strings.HasPrefix(p.Version, "devel") {
			return nil
		}
		return []Query{{"Go", p.Name, p.Version}}
	case sbom.EcoNPM, sbom.EcoPyPI, sbom.EcoMaven:
		return []Query{{p.Ecosystem, p.Name, p.Version}}
	}
	return nil
}

// Match finds the advisories affecting each package.
func Match(pkgs []sbom.Package, distro *sbom.Distro, store Store, opts Options) ([]Result, error) {
	skip := opts.OnSkip
	if skip == nil {
		skip = func(error) {}
	}
	type ident struct{ eco, name, version string }
	byPkg := map[ident][]*Result{}
	seenLoc := map[ident]map[string]bool{}
	var order []ident
	cache := map[[2]string][]Advisory{}
	cmps := map[string]Comparer{}
	for _, p := range pkgs {
		id := ident{p.Ecosystem, p.Name, p.Version}
		if _, ok := seenLoc[id]; ok {
			// The same package seen twice (two catalogers, two layers) is
			// matched once; its other locations are recorded.
			if !seenLoc[id][p.Location] {
				seenLoc[id][p.Location] = true
				for _, r := range byPkg[id] {
					r.Locations = append(r.Locations, p.Location)
				}
			}
			continue
		}
		seenLoc[id] = map[string]bool{p.Location: true}
		order = append(order, id)
		for _, q := range Targets(p, distro) {
			cmp, ok := cmps[q.Ecosystem]
			if !ok {
				cmp = matchComparer(q.Ecosystem)
				cmps[q.Ecosystem] = cmp
			}
			if cmp == nil {
				continue
			}
			ck := [2]string{q.Ecosystem, NormalizeName(q.Ecosystem, q.Name)}
			advs, ok := cache[ck]
			if !ok {
				var err error
				advs, err = store.Lookup(q.Ecosystem, q.Name)
				if err != nil {
					return nil, fmt.Errorf("lookup %s %s: %w", q.Ecosystem, q.Name, err)
				}
				cache[ck] = advs
			}
			for _, a := range advs {
				hit, fixed, fixState, err := affects(a, q, cmp)
				if err != nil {
					skip(fmt.Errorf("%s %s %s: %s: %w", q.Ecosystem, q.Name, q.Version, a.ID, err))
				}
				if !hit {
					continue
				}
				sev, score := AdvisorySeverity(a)
				r := &Result{
					Package: p, Locations: []string{p.Location}, ID: a.ID, Aliases: append([]string(nil), a.Aliases...),
					Summary: a.Summary, Ecosystem: q.Ecosystem, Queried: q.Name, QueriedVersion: q.Version,
					Severity: sev, Score: score, FixedVersion: fixed, FixState: fixState, Source: a.Source,
					References: a.References,
				}
				byPkg[id] = mergeResult(byPkg[id], r, p.Ecosystem)
			}
		}
	}
	idx, _ := store.(SeverityIndex)
	var out []Result
	for _, id := range order {
		for _, r := range byPkg[id] {
			if opts.NotAffected != nil && opts.NotAffected(r.ID, r.Aliases, r.Package) {
				r.FixState = FixStateNotAffected
			}
			if err := severityByAlias(idx, r); err != nil {
				return nil, err
			}
			sort.Strings(r.Aliases)
			out = append(out, *r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Package.Name != b.Package.Name {
			return a.Package.Name < b.Package.Name
		}
		if a.Package.Version != b.Package.Version {
			return a.Package.Version < b.Package.Version
		}
		return a.ID < b.ID
	})
	return out, nil
}

// mergeResult adds r to the results of one package, merging it into an
// existing result when the two share an id or alias (GO-, GHSA- and CVE-
// ids of one vulnerability), so a package is never reported twice for it.
func mergeResult(list []*Result, r *Result, eco string) []*Result {
	ids := func(x *Result) map[string]bool {
		m := map[string]bool{x.ID: true}
		for _, a := range x.Aliases {
			m[a] = true
		}
		return m
	}
	rids := ids(r)
	for _, old := range list {
		overlap := false
		for k := range ids(old) {
			if rids[k] {
				overlap = true
				break
			}
		}
		if !overlap {
			continue
		}
		all := ids(old)
		for k := range rids {
			all[k] = true
		}
		if preferID(r.ID, old.ID, eco) {
			keepLoc := old.Locations
			*old, r = *r, old
			old.Locations = keepLoc
		}
		old.Aliases = old.Aliases[:0]
		for k := range all {
			if k != old.ID {
				old.Aliases = append(old.Aliases, k)
			}
		}
		if old.Score == 0 && r.Score > 0 {
			old.Severity, old.Score = r.Severity, r.Score
		} else if old.Severity == rule.Unknown && r.Severity != rule.Unknown {
			old.Severity = r.Severity
		}
		if old.FixedVersion == "" && r.FixedVersion != "" {
			old.FixedVersion, old.FixState = r.FixedVersion, r.FixState
		}
		return list
	}
	return append(list, r)
}

// preferID says whether id a should be shown instead of b: the
// ecosystem's own database first (GO- for Go, PYSEC- for PyPI), CVE ids
// for distro packages, then GHSA.
func preferID(a, b, eco string) bool {
	rank := func(id string) int {
		switch {
		case eco == sbom.EcoGo && strings.HasPrefix(id, "GO-"):
			return 0
		case eco == sbom.EcoPyPI && strings.HasPrefix(id, "PYSEC-"):
			return 0
		case strings.HasPrefix(id, "CVE-"):
			return 1
		case strings.HasPrefix(id, "GHSA-"):
			return 2
		}
		return 3
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

// affects applies an advisory's affected entries for the queried package
// to its version, as the OSV schema says: the version is affected when it
// is listed in versions or falls in any range.
func affects(a Advisory, q Query, cmp Comparer) (hit bool, fixed string, state FixState, err error) {
	key := NormalizeName(q.Ecosystem, q.Name)
	var firstErr error
	for _, af := range a.Affected {
		if af.Ecosystem != q.Ecosystem || NormalizeName(af.Ecosystem, af.Package) != key {
			continue
		}
		ws, _ := af.EcosystemSpecific["fix_state"].(string)
		for _, v := range af.Versions {
			if v == q.Version {
				hit = true
			} else if c, err := cmp.Compare(v, q.Version); err == nil && c == 0 {
				hit = true
			}
		}
		for _, rg := range af.Ranges {
			rc := cmp
			switch rg.Type {
			case "GIT":
				continue
			case "SEMVER":
				if BaseEcosystem(q.Ecosystem) != "Go" {
					rc = ComparerFunc(compareSemver)
				}
			}
			in, fx, err := InRange(rc, q.Version, rg)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if in {
				hit = true
				if fixed == "" {
					fixed = fx
				}
			}
		}
		if hit {
			switch {
			case fixed != "":
				state = FixStateFixed
			case strings.Contains(strings.ToLower(ws), "will") || strings.Contains(strings.ToLower(ws), "wont"):
				state = FixStateWontFix
			default:
				state = FixStateNotFixed
			}
			return hit, fixed, state, nil
		}
	}
	return false, "", "", firstErr
}

// InRange evaluates one OSV range for a version, following the schema's
// algorithm: events sorted by version (introduced "0" first), introduced
// opens, fixed closes at the version, last_affected closes after it, limit
// bounds the range from above. fixed is the first fixed version above v.
func InRange(cmp Comparer, v string, rg Range) (bool, string, error) {
	evs := append([]Event(nil), rg.Events...)
	ver := func(e Event) string {
		switch {
		case e.Introduced != "":
			return e.Introduced
		case e.Fixed != "":
			return e.Fixed
		case e.LastAffected != "":
			return e.LastAffected
		}
		return e.Limit
	}
	var sortErr error
	less := func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.Introduced == "0" {
			return b.Introduced != "0"
		}
		if b.Introduced == "0" {
			return false
		}
		c, err := cmp.Compare(ver(a), ver(b))
		if err != nil {
			sortErr = err
			return false
		}
		if c == 0 {
			// At equal versions an introduced event comes first.
			return a.Introduced != "" && b.Introduced == ""
		}
		return c < 0
	}
	sort.SliceStable(evs, less)
	if sortErr != nil {
		return false, "", sortErr
	}
	vulnerable := false
	for _, e := range evs {
		switch {
		case e.Introduced != "":
			if e.Introduced == "0" {
				vulnerable = true
				continue
			}
			c, err := cmp.Compare(v, e.Introduced)
			if err != nil {
				return false, "", err
			}
			if c >= 0 {
				vulnerable = true
			}
		case e.Fixed != "":
			c, err := cmp.Compare(v, e.Fixed)
			if err != nil {
				return false, "", err
			}
			if c >= 0 {
				vulnerable = false
			}
		case e.LastAffected != "":
			c, err := cmp.Compare(v, e.LastAffected)
			if err != nil {
				return false, "", err
			}
			if c > 0 {
				vulnerable = false
			}
		}
	}
	if !vulnerable {
		return false, "", nil
	}
	for _, e := range evs {
		if e.Limit != "" {
			if c, err := cmp.Compare(v, e.Limit); err == nil && c >= 0 {
				return false, "", nil
			}
		}
	}
	for _, e := range evs {
		if e.Fixed != "" {
			if c, err := cmp.Compare(e.Fixed, v); err == nil && c > 0 {
				return true, e.Fixed, nil
			}
		}
	}
	return true, "", nil
}

// severityByAlias gives a result whose advisory has no severity the CVSS
// score another feed records for its id or an alias, and says which.
func severityByAlias(idx SeverityIndex, r *Result) error {
	if idx == nil || r.Severity != rule.Unknown {
		return nil
	}
	s, ok, err := idx.SeverityOf(append([]string{r.ID}, r.Aliases...))
	if err != nil || !ok {
		return err
	}
	r.Severity, r.Score, r.SeverityFrom = s.Severity, s.Score, s.String()
	return nil
}
