package vuln

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

func TestProofAlpine(t *testing.T) {
	haveDpkg(t)
	data := dataDir(t)
	db := filepath.Join(t.TempDir(), "vuln.db")
	importInto(t, db, filepath.Join(data, "alpine", "secdb"))
	store := openDB(t, db)
	for _, img := range []struct{ dir, secdb string }{
		{"alpine-310-metadata", "v3.10"},
		{"alpine-311-metadata", "v3.11"},
	} {
		t.Run(img.dir, func(t *testing.T) {
			root := filepath.Join(data, "alpine", img.dir)
			distro := readOSRelease(t, filepath.Join(root, "etc", "os-release"))
			pkgs := readApkInstalled(t, filepath.Join(root, "lib", "apk", "db", "installed"))
			if len(pkgs) != 14 {
				t.Fatalf("%d packages, the README says 14", len(pkgs))
			}
			res, err := Match(pkgs, distro, store, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Result{}
			for _, r := range res {
				k := r.Package.Name + " " + r.ID
				if _, dup := got[k]; dup {
					t.Errorf("%s reported twice", k)
				}
				got[k] = r
			}

			// The expected table, computed another way: read the secdb
			// files directly and order versions with dpkg, whose rules
			// agree with apk's on these plain "x.y.zL-rN" versions.
			want := map[string]string{}
			for _, repo := range []string{"main", "community"} {
				raw, err := os.ReadFile(filepath.Join(data, "alpine", "secdb", img.secdb, repo+".json"))
				if err != nil {
					t.Fatal(err)
				}
				var f struct {
					Packages []struct {
						Pkg struct {
							Name     string              `json:"name"`
							Secfixes map[string][]string `json:"secfixes"`
						} `json:"pkg"`
					} `json:"packages"`
				}
				if err := json.Unmarshal(raw, &f); err != nil {
					t.Fatal(err)
				}
				for _, p := range pkgs {
					for _, sp := range f.Packages {
						if sp.Pkg.Name != p.SourceName {
							continue
						}
						for fixed, ids := range sp.Pkg.Secfixes {
							if fixed == "0" || strings.Contains(fixed+p.Version, "_") {
								continue
							}
							if !dpkgCompare(t, p.Version, "lt", fixed) {
								continue
							}
							for _, id := range ids {
								for _, one := range strings.Fields(id) {
									k := p.Name + " " + one
									if old, ok := want[k]; !ok || dpkgCompare(t, fixed, "lt", old) {
										want[k] = fixed
									}
								}
							}
						}
					}
				}
			}
			for k, fixed := range want {
				r, ok := got[k]
				if !ok {
					t.Errorf("missing %s (fixed in %s)", k, fixed)
					continue
				}
				if r.FixedVersion != fixed || r.FixState != FixStateFixed {
					t.Errorf("%s: fixed %q (%s), want %q", k, r.FixedVersion, r.FixState, fixed)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected %s", k)
				}
			}
			for _, pkg := range []string{"libssl1.1", "libcrypto1.1"} {
				r, ok := got[pkg+" CVE-2020-1967"]
				if !ok || r.FixedVersion != "1.1.1g-r0" || r.Queried != "openssl" || r.Ecosystem != "Alpine:"+img.secdb {
					t.Errorf("%s: CVE-2020-1967 via openssl fixed in 1.1.1g-r0 not reported: %+v", pkg, r)
				}
			}
			t.Logf("%s: %d findings on %d packages", img.dir, len(res), len(pkgs))
		})
	}
}

// ovalDef is one definition as the test reads it from the comments and
// title: another code path than the importer's structured decode.
type ovalDef struct{ id, pkg, fixed string }

var (
	reOVALTitle     = regexp.MustCompile(`<title>(\S+) (\S+)</title>`)
	reOVALCriterion = regexp.MustCompile(`comment="(\S+) DPKG is earlier than ([^"]+)"`)
)

func readOVALByRegexp(t *testing.T, path string) []ovalDef {
	t.Helper()
	rc, err := openMaybeCompressed(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	var out []ovalDef
	for _, block := range strings.Split(string(raw), "<definition ")[1:] {
		tm := reOVALTitle.FindStringSubmatch(block)
		cm := reOVALCriterion.FindStringSubmatch(block)
		if tm == nil || cm == nil {
			continue
		}
		out = append(out, ovalDef{id: tm[1], pkg: cm[1], fixed: strings.TrimPrefix(cm[2], "0:")})
	}
	return out
}

var (
	bookwormOnce sync.Once
	bookwormPath string
)

// bookwormDB imports the bookworm OVAL file once per test binary into
// sharedTmp; the tests only read it.
func bookwormDB(t *testing.T) (string, string) {
	t.Helper()
	data := dataDir(t)
	oval := filepath.Join(data, "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2")
	bookwormOnce.Do(func() {
		db := filepath.Join(sharedTmp, "bookworm.db")
		importInto(t, db, oval)
		bookwormPath = db
	})
	if bookwormPath == "" {
		t.Fatal("bookworm database import failed earlier")
	}
	return bookwormPath, oval
}

// TestProofDebianNoFalsePositives: every package of the 2026 bookworm
// fixtures has since been fixed for everything the 2023 OVAL data lists
// with a fixed version; what is left is exactly the issues Debian's data
// holds open for the fixtures' source packages ("DPKG is earlier than 0",
// read here with regular expressions, another path than the importer's),
// reported with no fixed version, and --ignore-unfixed (DropUnfixed)
// removes every one of them.
func TestProofDebianNoFalsePositives(t *testing.T) {
	data := dataDir(t)
	db, oval := bookwormDB(t)
	store := openDB(t, db)
	open := map[string]map[string]bool{} // source package -> open CVEs
	for _, d := range readOVALByRegexp(t, oval) {
		if d.fixed == "0" {
			if open[d.pkg] == nil {
				open[d.pkg] = map[string]bool{}
			}
			open[d.pkg][d.id] = true
		}
	}
	for _, fx := range []string{"bookworm", "bookworm-plus"} {
		root := filepath.Join(data, "debian", "rootfs-fixtures", fx)
		raw, err := os.ReadFile(filepath.Join(root, "var", "lib", "dpkg", "status"))
		if err != nil {
			t.Fatal(err)
		}
		pkgs := readDpkgStatus(t, string(raw))
		distro := readOSRelease(t, filepath.Join(root, "etc", "os-release"))
		var skipped []error
		res, err := Match(pkgs, distro, store, Options{OnSkip: func(e error) { skipped = append(skipped, e) }})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, p := range pkgs {
			src := p.SourceName
			if src == "" {
				src = p.Name
			}
			for id := range open[src] {
				want[p.Name+" "+id] = true
			}
		}
		got := map[string]bool{}
		for _, r := range res {
			if r.FixState != FixStateNotFixed || r.FixedVersion != "" {
				t.Errorf("%s: false positive %s %s (source %s %s) %s fixed in %s", fx, r.Package.Name, r.Package.Version, r.Queried, r.QueriedVersion, r.ID, r.FixedVersion)
				continue
			}
			got[r.Package.Name+" "+r.ID] = true
		}
		if fmt.Sprint(sortedSet(got)) != fmt.Sprint(sortedSet(want)) {
			t.Errorf("%s: open issues differ from the OVAL data:\n got  %d %v\n want %d %v", fx, len(got), sortedSet(got), len(want), sortedSet(want))
		}
		for _, k := range []string{"libc6 CVE-2019-9192", "libc-bin CVE-2019-9192"} {
			if !got[k] {
				t.Errorf("%s: %s not reported as open", fx, k)
			}
		}
		if left := DropUnfixed(res); len(left) != 0 {
			t.Errorf("%s: --ignore-unfixed keeps %d results, first %s %s", fx, len(left), left[0].Package.Name, left[0].ID)
		}
		if len(skipped) > 0 {
			t.Errorf("%s: %d comparisons skipped, first: %v", fx, len(skipped), skipped[0])
		}
		t.Logf("%s: %d packages, %d open issues, none fixed", fx, len(pkgs), len(res))
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestProofDebianOldVersions: a status file from the bookworm fixture in
// which a handful of packages are set just below the newest fixed version
// the OVAL data gives their source package ("V~" sorts before V, the way
// Debian spells a pre-release) reports exactly what the OVAL data implies,
// computed with dpkg --compare-versions over a regexp reading of the OVAL
// file. The binary packages are looked up by their source package.
func TestProofDebianOldVersions(t *testing.T) {
	haveDpkg(t)
	data := dataDir(t)
	db, oval := bookwormDB(t)
	store := openDB(t, db)
	defs := readOVALByRegexp(t, oval)
	root := filepath.Join(data, "debian", "rootfs-fixtures", "bookworm")
	raw, err := os.ReadFile(filepath.Join(root, "var", "lib", "dpkg", "status"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := readDpkgStatus(t, string(raw))
	distro := readOSRelease(t, filepath.Join(root, "etc", "os-release"))

	// Binary packages whose source name differs from their own name, so
	// that the binary-to-source mapping is what makes them match.
	chosen := map[string]bool{"libc6": true, "libssl3": true, "libgnutls30": true, "liblzma5": true, "tar": true, "libsystemd0": true, "login": true, "zlib1g": true}
	sources := map[string]bool{}
	for _, p := range pkgs {
		if chosen[p.Name] {
			sources[p.SourceName] = true
		}
	}
	newest := map[string]string{}
	for _, d := range defs {
		if d.fixed == "0" || !sources[d.pkg] {
			continue
		}
		if old, ok := newest[d.pkg]; !ok || dpkgCompare(t, old, "lt", d.fixed) {
			newest[d.pkg] = d.fixed
		}
	}
	want := map[string]string{}
	n := 0
	for i, p := range pkgs {
		if !chosen[p.Name] {
			continue
		}
		v, ok := newest[p.SourceName]
		if !ok {
			t.Logf("%s (source %s): no OVAL definitions", p.Name, p.SourceName)
			continue
		}
		n++
		old := v + "~"
		pkgs[i].Version, pkgs[i].SourceVersion = old, old
		for _, d := range defs {
			switch {
			case d.pkg != p.SourceName:
			case d.fixed == "0":
				want[p.Name+" "+d.id] = "" // open: every version, no fix
			case dpkgCompare(t, old, "lt", d.fixed):
				want[p.Name+" "+d.id] = d.fixed
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d chosen packages present", n)
	}
	res, err := Match(pkgs, distro, store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res {
		if !chosen[r.Package.Name] {
			continue // the others' open issues are TestProofDebianNoFalsePositives's
		}
		k := r.Package.Name + " " + r.ID
		if _, dup := got[k]; dup {
			t.Errorf("%s reported twice", k)
		}
		got[k] = r.FixedVersion
		if r.Package.Name == "libc6" && r.Queried != "glibc" {
			t.Errorf("libc6 matched as %q, want its source glibc", r.Queried)
		}
	}
	if len(want) == 0 {
		t.Fatal("empty expectation")
	}
	if fmt.Sprint(sortedMap(got)) != fmt.Sprint(sortedMap(want)) {
		t.Errorf("findings differ from what the OVAL data implies:\n got  %v\n want %v", sortedMap(got), sortedMap(want))
	}
	t.Logf("%d chosen packages, %d findings", n, len(got))
}

func sortedMap(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestDebianSourceMapping: advisories name source packages; a binary
// package is matched by its Source: (libcap2's binNMU carries a source
// version different from its own), never by its binary name.
func TestDebianSourceMapping(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	w, err := Create(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.BeginSource("test"); err != nil {
		t.Fatal(err)
	}
	adv := func(id, pkg, fixed string) Advisory {
		return Advisory{ID: id, Affected: []Affected{{Ecosystem: "Debian:12", Package: pkg,
			Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}, {Fixed: fixed}}}}}}}
	}
	for _, a := range []Advisory{
		adv("CVE-0000-0001", "openssl", "3.0.11-1~deb12u3"),
		adv("CVE-0000-0002", "libssl3", "9.9"),                 // binary name: must not match
		adv("CVE-0000-0003", "libcap2", "1:2.66-4+deb12u3+b1"), // compared with the source version 1:2.66-4+deb12u3
	} {
		if err := w.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.EndSource("test", testNow); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(testNow); err != nil {
		t.Fatal(err)
	}
	status := `Package: libssl3
Version: 3.0.11-1~deb12u2
Source: openssl

Package: libcap2
Source: libcap2 (1:2.66-4+deb12u3)
Version: 1:2.66-4+deb12u3+b1
`
	pkgs := readDpkgStatus(t, status)
	res, err := Match(pkgs, &sbom.Distro{ID: "debian", VersionID: "12"}, openDB(t, db), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res {
		ids = append(ids, r.Package.Name+" "+r.ID+" "+r.FixedVersion)
	}
	want := []string{"libcap2 CVE-0000-0003 1:2.66-4+deb12u3+b1", "libssl3 CVE-0000-0001 3.0.11-1~deb12u3"}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	// Without a distro there is no scope: nothing is matched, rather than
	// matching Debian 11 advisories against Debian 12 packages.
	res, _ = Match(pkgs, nil, openDB(t, db), Options{})
	if len(res) != 0 {
		t.Errorf("matched without a distro: %v", res)
	}
}
