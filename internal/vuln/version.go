package vuln

import (
	"fmt"
	"strings"

	msemver "github.com/Masterminds/semver/v3"
	pep440 "github.com/aquasecurity/go-pep440-version"
	apkver "github.com/knqyf263/go-apk-version"
	debver "github.com/knqyf263/go-deb-version"
	rpmver "github.com/knqyf263/go-rpm-version"
	mvnver "github.com/masahiro331/go-mvn-version"
	"golang.org/x/mod/semver"
)

// Comparer orders the versions of one ecosystem. Compare returns -1, 0 or
// +1, or an error when either version cannot be parsed in that ecosystem.
type Comparer interface {
	Compare(a, b string) (int, error)
}

// ComparerFunc adapts a function to Comparer.
type ComparerFunc func(a, b string) (int, error)

// Compare calls f.
func (f ComparerFunc) Compare(a, b string) (int, error) { return f(a, b) }

// BaseEcosystem strips OSV's distro scoping: "Debian:12" -> "Debian",
// "Alpine:v3.19" -> "Alpine".
func BaseEcosystem(eco string) string {
	if i := strings.IndexByte(eco, ':'); i >= 0 {
		return eco[:i]
	}
	return eco
}

// ComparerFor returns the version ordering of an OSV ecosystem (distro
// scoping allowed), or nil when shipshape does not know it.
func ComparerFor(ecosystem string) Comparer {
	switch BaseEcosystem(ecosystem) {
	case "Debian", "Ubuntu":
		return ComparerFunc(compareDeb)
	case "Alpine":
		return ComparerFunc(compareApk)
	case "Red Hat", "Rocky Linux", "AlmaLinux", "RPM", "openSUSE", "SUSE", "Mageia", "openEuler":
		return ComparerFunc(compareRPM)
	case "Go":
		return ComparerFunc(compareGo)
	case "npm":
		return ComparerFunc(compareSemver)
	case "PyPI":
		return ComparerFunc(comparePEP440)
	case "Maven":
		return ComparerFunc(compareMaven)
	}
	return nil
}

func compareDeb(a, b string) (int, error) {
	va, err := debver.NewVersion(a)
	if err != nil {
		return 0, fmt.Errorf("dpkg version %q: %w", a, err)
	}
	vb, err := debver.NewVersion(b)
	if err != nil {
		return 0, fmt.Errorf("dpkg version %q: %w", b, err)
	}
	return sign(va.Compare(vb)), nil
}

func compareApk(a, b string) (int, error) {
	va, err := apkver.NewVersion(a)
	if err != nil {
		return 0, fmt.Errorf("apk version %q: %w", a, err)
	}
	vb, err := apkver.NewVersion(b)
	if err != nil {
		return 0, fmt.Errorf("apk version %q: %w", b, err)
	}
	return sign(va.Compare(vb)), nil
}

func compareRPM(a, b string) (int, error) {
	va, vb := rpmver.NewVersion(a), rpmver.NewVersion(b)
	return sign(va.Compare(vb)), nil
}

// GoSemver turns a Go module or toolchain version into the "v"-prefixed
// semver that golang.org/x/mod/semver orders, the way the Go vulnerability
// database writes Go releases: "go1.21.3" and "1.21.3" become "v1.21.3",
// "go1.21" becomes "v1.21.0" and "go1.21rc2" becomes "v1.21.0-rc.2".
// Module versions ("v0.7.0", pseudo-versions) are returned as they are.
func GoSemver(v string) string {
	toolchain := strings.HasPrefix(v, "go")
	v = strings.TrimPrefix(v, "go")
	if strings.HasPrefix(v, "v") {
		return v
	}
	if !toolchain && strings.Contains(v, "-") {
		return "v" + v
	}
	base, pre := v, ""
	for _, p := range []string{"rc", "beta", "alpha"} {
		if i := strings.Index(v, p); i > 0 {
			base, pre = v[:i], p+"."+v[i+len(p):]
			break
		}
	}
	if strings.Count(base, ".") == 1 {
		base += ".0"
	}
	if pre != "" {
		return "v" + base + "-" + pre
	}
	return "v" + base
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func compareGo(a, b string) (int, error) {
	va, vb := GoSemver(a), GoSemver(b)
	if !semver.IsValid(va) {
		return 0, fmt.Errorf("go version %q: not semver", a)
	}
	if !semver.IsValid(vb) {
		return 0, fmt.Errorf("go version %q: not semver", b)
	}
	return semver.Compare(va, vb), nil
}

func compareSemver(a, b string) (int, error) {
	va, err := msemver.NewVersion(a)
	if err != nil {
		return 0, fmt.Errorf("semver %q: %w", a, err)
	}
	vb, err := msemver.NewVersion(b)
	if err != nil {
		return 0, fmt.Errorf("semver %q: %w", b, err)
	}
	return sign(va.Compare(vb)), nil
}

func comparePEP440(a, b string) (int, error) {
	va, err := pep440.Parse(a)
	if err != nil {
		return 0, fmt.Errorf("PEP 440 version %q: %w", a, err)
	}
	vb, err := pep440.Parse(b)
	if err != nil {
		return 0, fmt.Errorf("PEP 440 version %q: %w", b, err)
	}
	return sign(va.Compare(vb)), nil
}

func compareMaven(a, b string) (int, error) {
	va, err := mvnver.NewVersion(a)
	if err != nil {
		return 0, fmt.Errorf("maven version %q: %w", a, err)
	}
	vb, err := mvnver.NewVersion(b)
	if err != nil {
		return 0, fmt.Errorf("maven version %q: %w", b, err)
	}
	return sign(va.Compare(vb)), nil
}

// cachedComparer parses each version once: a distro package is compared
// with every advisory of its source package (hundreds for glibc or
// linux), and parsing dominates. It is not safe for concurrent use; Match
// makes one per call.
type cachedComparer[T any] struct {
	parse func(string) (T, error)
	cmp   func(a, b T) int
	m     map[string]T
}

func (c *cachedComparer[T]) get(s string) (T, error) {
	if v, ok := c.m[s]; ok {
		return v, nil
	}
	v, err := c.parse(s)
	if err == nil {
		c.m[s] = v
	}
	return v, err
}

func (c *cachedComparer[T]) Compare(a, b string) (int, error) {
	va, err := c.get(a)
	if err != nil {
		return 0, err
	}
	vb, err := c.get(b)
	if err != nil {
		return 0, err
	}
	return sign(c.cmp(va, vb)), nil
}

// matchComparer is ComparerFor with a parse cache for the distro
// orderings.
func matchComparer(ecosystem string) Comparer {
	switch BaseEcosystem(ecosystem) {
	case "Debian", "Ubuntu":
		return &cachedComparer[debver.Version]{
			parse: func(s string) (debver.Version, error) {
				v, err := debver.NewVersion(s)
				if err != nil {
					err = fmt.Errorf("dpkg version %q: %w", s, err)
				}
				return v, err
			},
			cmp: func(a, b debver.Version) int { return a.Compare(b) },
			m:   map[string]debver.Version{},
		}
	case "Alpine":
		return &cachedComparer[apkver.Version]{
			parse: func(s string) (apkver.Version, error) {
				v, err := apkver.NewVersion(s)
				if err != nil {
					err = fmt.Errorf("apk version %q: %w", s, err)
				}
				return v, err
			},
			cmp: func(a, b apkver.Version) int { return a.Compare(b) },
			m:   map[string]apkver.Version{},
		}
	}
	return ComparerFor(ecosystem)
}
