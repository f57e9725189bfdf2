package vuln

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
	bolt "go.etcd.io/bbolt"
)

// BenchmarkImportGoZip imports osv/Go.zip (4,789 records) into a fresh
// database, commit and fsync included.
func BenchmarkImportGoZip(b *testing.B) {
	goZip := filepath.Join(dataDir(b), "osv", "Go.zip")
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(dir, "vuln.db")
		os.Remove(db)
		importInto(b, db, goZip)
	}
}

// benchSetup imports Go.zip and the bookworm OVAL and builds 1,000
// packages: the 740 of this machine's Debian 12 dpkg status plus 260 Go
// modules named in Go.zip at an old version.
func benchSetup(b *testing.B) (*DB, []sbom.Package, *sbom.Distro) {
	data := dataDir(b)
	db := filepath.Join(b.TempDir(), "vuln.db")
	importInto(b, db, filepath.Join(data, "osv", "Go.zip"),
		filepath.Join(data, "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2"))
	raw, err := os.ReadFile(filepath.Join(data, "debian", "rootfs-fixtures", "host-bookworm-dpkg-status"))
	if err != nil {
		b.Fatal(err)
	}
	pkgs := readDpkgStatus(b, string(raw))
	store := openDB(b, db)
	var mods []string
	store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(prefixEco + "Go")).ForEach(func(k, _ []byte) error {
			mods = append(mods, string(k))
			return nil
		})
	})
	sort.Strings(mods)
	for _, m := range mods {
		if len(pkgs) == 1000 {
			break
		}
		pkgs = append(pkgs, sbom.Package{Name: m, Version: "v0.1.0", Ecosystem: sbom.EcoGo, Location: "app"})
	}
	if len(pkgs) != 1000 {
		b.Fatalf("%d packages", len(pkgs))
	}
	return store, pkgs, &sbom.Distro{ID: "debian", VersionID: "12"}
}

// BenchmarkMatch1000 matches 1,000 packages against Go.zip + bookworm OVAL.
func BenchmarkMatch1000(b *testing.B) {
	store, pkgs, distro := benchSetup(b)
	var n int
	for b.Loop() {
		res, err := Match(pkgs, distro, store, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(res)
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkLookup is one (ecosystem, package) lookup.
func BenchmarkLookup(b *testing.B) {
	store, _, _ := benchSetup(b)
	for b.Loop() {
		if _, err := store.Lookup("Go", "golang.org/x/net"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens the database (it must not read it all).
func BenchmarkOpen(b *testing.B) {
	store, _, _ := benchSetup(b)
	path := store.Path()
	for b.Loop() {
		d, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}
