package vuln

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// sharedTmp holds databases several tests read.
var sharedTmp string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shipshape-vuln-test-")
	if err != nil {
		panic(err)
	}
	sharedTmp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dataDir returns <shared>/data, skipping as corpus.Shared says.
func dataDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(corpus.Shared(t), "data")
}

// importInto imports paths into the database at db and commits.
func importInto(t testing.TB, db string, paths ...string) []Imported {
	t.Helper()
	w, err := Create(db)
	if err != nil {
		t.Fatal(err)
	}
	var all []Imported
	for _, p := range paths {
		im, err := Import(w, p, p, testNow)
		if err != nil {
			w.Abort()
			t.Fatalf("import %s: %v", p, err)
		}
		all = append(all, im...)
	}
	if err := w.Commit(testNow); err != nil {
		t.Fatal(err)
	}
	return all
}

func openDB(t testing.TB, path string) *DB {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// The fixture readers below are deliberately minimal and independent of
// internal/sbom's catalogers: the matcher is tested on its own.

// readOSRelease reads ID and VERSION_ID.
func readOSRelease(t testing.TB, path string) *sbom.Distro {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := &sbom.Distro{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		switch k {
		case "ID":
			d.ID = v
		case "VERSION_ID":
			d.VersionID = v
		case "VERSION_CODENAME":
			d.Codename = v
		}
	}
	return d
}

// readDpkgStatus reads Package, Version and Source (with its optional
// "(version)") of every paragraph.
func readDpkgStatus(t testing.TB, data string) []sbom.Package {
	t.Helper()
	var out []sbom.Package
	for _, para := range strings.Split(data, "\n\n") {
		var p sbom.Package
		for _, line := range strings.Split(para, "\n") {
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				continue
			}
			switch k {
			case "Package":
				p.Name = v
			case "Version":
				p.Version = v
			case "Source":
				name, ver, _ := strings.Cut(v, " ")
				p.SourceName = name
				p.SourceVersion = strings.Trim(ver, "()")
			}
		}
		if p.Name == "" {
			continue
		}
		if p.SourceName == "" {
			p.SourceName = p.Name
		}
		if p.SourceVersion == "" {
			p.SourceVersion = p.Version
		}
		p.Ecosystem, p.Cataloger, p.Location = sbom.EcoDebian, "dpkg", "var/lib/dpkg/status"
		out = append(out, p)
	}
	return out
}

// readApkInstalled reads P (name), V (version) and o (origin).
func readApkInstalled(t testing.TB, path string) []sbom.Package {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []sbom.Package
	for _, para := range strings.Split(string(data), "\n\n") {
		var p sbom.Package
		for _, line := range strings.Split(para, "\n") {
			if len(line) < 2 || line[1] != ':' {
				continue
			}
			switch line[0] {
			case 'P':
				p.Name = line[2:]
			case 'V':
				p.Version = line[2:]
			case 'o':
				p.SourceName = line[2:]
			}
		}
		if p.Name == "" {
			continue
		}
		p.Ecosystem, p.Cataloger, p.Location = sbom.EcoAlpine, "apk", "lib/apk/db/installed"
		out = append(out, p)
	}
	return out
}

// dpkgCompare asks this machine's dpkg: is a OP b (lt, eq, gt)?
func dpkgCompare(t testing.TB, a, op, b string) bool {
	t.Helper()
	err := exec.Command("dpkg", "--compare-versions", a, op, b).Run()
	if err == nil {
		return true
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return false
	}
	t.Fatalf("dpkg --compare-versions %s %s %s: %v", a, op, b, err)
	return false
}

func haveDpkg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("dpkg not installed: it is the independent oracle of this test")
	}
}
