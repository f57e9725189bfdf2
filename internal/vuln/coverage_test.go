package vuln

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// TestGapsOnRealDatabases reads the shared Alpine and Debian package
// databases and a database of Alpine 3.10's secdb, and checks which
// packages Gaps says cannot be assessed, and why.
func TestGapsOnRealDatabases(t *testing.T) {
	data := dataDir(t)
	db := filepath.Join(t.TempDir(), "vuln.db")
	importInto(t, db, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"))
	store := openDB(t, db)
	ecos, err := store.Ecosystems()
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, e := range ecos {
		held[e] = true
	}
	if !held["Alpine:v3.10"] || held["Debian:11"] {
		t.Fatalf("ecosystems %v", ecos)
	}
	alpineRoot := filepath.Join(data, "alpine", "alpine-310-metadata")
	apk := readApkInstalled(t, filepath.Join(alpineRoot, "lib", "apk", "db", "installed"))
	fx := filepath.Join(data, "debian", "rootfs-fixtures")
	status, err := os.ReadFile(filepath.Join(fx, "bullseye", "var", "lib", "dpkg", "status"))
	if err != nil {
		t.Fatal(err)
	}
	dpkg := readDpkgStatus(t, string(status))
	distinct := map[string]bool{}
	for _, p := range dpkg {
		distinct[p.Name+" "+p.Version] = true
	}
	npm := []sbom.Package{{Name: "jquery", Version: "3.4.0", Ecosystem: sbom.EcoNPM}}
	goDevel := []sbom.Package{{Name: "example.com/app", Version: "(devel)", Ecosystem: sbom.EcoGo}}

	cases := []struct {
		name   string
		pkgs   []sbom.Package
		distro *sbom.Distro
		held   map[string]bool
		want   []Gap
	}{
		{"alpine 3.10 against its secdb", apk, readOSRelease(t, filepath.Join(alpineRoot, "etc", "os-release")), held, nil},
		{"alpine without a distribution", apk, nil, held,
			[]Gap{{Ecosystem: "Alpine", Packages: 14, Reason: ReasonNoDistro}}},
		{"alpine 3.19 against 3.10's secdb", apk, &sbom.Distro{ID: "alpine", VersionID: "3.19.1"}, held,
			[]Gap{{Ecosystem: "Alpine", Packages: 14, Reason: "the vulnerability database holds no advisories for Alpine:v3.19"}}},
		{"bullseye without Debian advisories", dpkg, readOSRelease(t, filepath.Join(fx, "bullseye", "etc", "os-release")), held,
			[]Gap{{Ecosystem: "Debian", Packages: len(distinct), Reason: "the vulnerability database holds no advisories for Debian:11"}}},
		{"bullseye with Debian 11 advisories", dpkg, readOSRelease(t, filepath.Join(fx, "bullseye", "etc", "os-release")),
			map[string]bool{"Debian:11": true}, nil},
		{"debian testing", dpkg, &sbom.Distro{ID: "debian", Codename: "trixie"}, held,
			[]Gap{{Ecosystem: "Debian", Packages: len(distinct), Reason: "debian trixie has no release number to look advisories up by"}}},
		{"npm without npm advisories, devel Go module skipped", append(npm, goDevel...), nil, held,
			[]Gap{{Ecosystem: "npm", Packages: 1, Reason: "the vulnerability database holds no advisories for npm"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Gaps(c.pkgs, c.distro, func(e string) bool { return c.held[e] })
			if len(got) != len(c.want) {
				t.Fatalf("Gaps = %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("gap %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
	if len(distinct) < 50 {
		t.Errorf("bullseye fixture has %d packages", len(distinct))
	}
	if s := (Gap{Ecosystem: "Alpine", Packages: 14, Reason: ReasonNoDistro}).String(); !strings.HasPrefix(s, "14 Alpine packages: no os-release") {
		t.Errorf("String = %q", s)
	}
}
