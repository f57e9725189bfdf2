package engine_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

var vulnNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// imageOf builds a one-layer image of the named files of dir (relative
// paths) and scans it as `shipshape image --scanners vuln` does.
func imageOf(t *testing.T, dir string, names ...string) *image.Image {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		h := &tar.Header{Name: n, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(data)), ModTime: vulnNow}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer, History: v1.History{CreatedBy: "ADD rootfs.tar /"}})
	if err != nil {
		t.Fatal(err)
	}
	opts := sbom.ScanOptions(engine.ImageScanOptions(imageRules(t), nil, nil))
	opts.NoCache = true
	got, err := imageread.Scan(context.Background(), imageread.FromV1("test/img:1", "mem", img), opts)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// dirOf scans a root filesystem directory as `shipshape image dir:...`.
func dirOf(t *testing.T, dir string) *image.Image {
	t.Helper()
	src, err := imageread.Open(context.Background(), "dir:"+dir, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opts := sbom.ScanOptions(engine.ImageScanOptions(imageRules(t), nil, nil))
	opts.NoCache = true
	got, err := imageread.Scan(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func imageRules(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := rule.NewRegistry(imrules.All()...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// alpineDB imports Alpine 3.10's secdb (main) into a new database.
func alpineDB(t *testing.T, data string) *vuln.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vuln.db")
	w, err := vuln.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	secdb := filepath.Join(data, "alpine", "secdb", "v3.10", "main.json")
	if _, err := vuln.Import(w, secdb, secdb, vulnNow); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	if err := w.Commit(vulnNow); err != nil {
		t.Fatal(err)
	}
	db, err := vuln.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// im1500 returns the message of the image's IM1500 finding.
func im1500(t *testing.T, img *image.Image) string {
	t.Helper()
	for _, f := range engine.ScanImage(context.Background(), img, imageRules(t), config.Default(), nil, vulnNow) {
		if f.RuleID == "IM1500" {
			return f.Message
		}
	}
	return ""
}

func count(fs []rule.Finding, id string) int {
	n := 0
	for _, f := range fs {
		if f.RuleID == id {
			n++
		}
	}
	return n
}

// TestAlpineReleaseWithoutOSReleaseIsOneIdentity builds an image from
// Alpine 3.10's real alpine-release and apk database, without os-release,
// and checks that the image rules and the SBOM name the same distribution
// and that its packages are matched against the Alpine 3.10 secdb; the
// same packages with no release file at all are reported as not assessed.
func TestAlpineReleaseWithoutOSReleaseIsOneIdentity(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	root := filepath.Join(data, "alpine", "alpine-310-metadata")
	db := alpineDB(t, data)

	img := imageOf(t, root, "etc/alpine-release", "lib/apk/db/installed")
	s := sbom.FromImage(img)
	if s.Distro == nil || s.Distro.ID != "alpine" || s.Distro.VersionID != "3.10.4" || s.Distro.Source != "/etc/alpine-release" {
		t.Fatalf("SBOM distro %+v", s.Distro)
	}
	if msg := im1500(t, img); msg != "operating system: "+s.Distro.Name()+" (from /etc/alpine-release)" {
		t.Errorf("IM1500 says %q, the SBOM %+v", msg, s.Distro)
	}
	fs, notes, err := engine.ImageVulns(img, db, engine.VulnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// libssl1.1 and libcrypto1.1 (source openssl 1.1.1d-r2) are fixed in
	// 1.1.1g-r0 for CVE-2020-1967, as the secdb says.
	if n := count(fs, "CVE-2020-1967"); n != 2 || len(notes) != 0 || engine.NotAssessed(notes) != "" {
		t.Errorf("CVE-2020-1967 found %d times (want 2), notes %q", n, notes)
	}

	bare := imageOf(t, root, "lib/apk/db/installed")
	if _, ok := bare.Distro(); ok || im1500(t, bare) != "operating system: unknown (no os-release or distribution release file)" {
		t.Errorf("no release file, yet identified: %q", im1500(t, bare))
	}
	fs, notes, err = engine.ImageVulns(bare, db, engine.VulnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "vulnerabilities not assessed: 14 Alpine packages: " + vuln.ReasonNoDistro
	if len(fs) != 0 || len(notes) != 1 || !strings.HasPrefix(notes[0], want) || engine.NotAssessed(notes) != want {
		t.Errorf("no distribution: %d findings, notes %q, summary %q", len(fs), notes, engine.NotAssessed(notes))
	}
}

// TestRootFilesystemsNotAssessed scans the shared root filesystems as
// directories: Alpine 3.10 with os-release removed is still matched, and
// Debian 11, which the database holds no advisories for, is reported as
// not assessed with its release named.
func TestRootFilesystemsNotAssessed(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	db := alpineDB(t, data)

	alpine := t.TempDir()
	src := filepath.Join(data, "alpine", "alpine-310-metadata")
	for _, n := range []string{"etc/alpine-release", "lib/apk/db/installed"} {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(alpine, filepath.Dir(n)), 0o755)
		if err := os.WriteFile(filepath.Join(alpine, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs, notes, err := engine.ImageVulns(dirOf(t, alpine), db, engine.VulnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if count(fs, "CVE-2020-1967") != 2 || len(notes) != 0 {
		t.Errorf("alpine dir without os-release: %d findings, notes %q", len(fs), notes)
	}

	fx := filepath.Join(data, "debian", "rootfs-fixtures", "bullseye")
	// The directory, and an image of its dpkg database with
	// debian_version (11.11) in place of os-release.
	for name, img := range map[string]*image.Image{
		"dir":            dirOf(t, fx),
		"debian_version": imageOf(t, fx, "etc/debian_version", "var/lib/dpkg/status"),
	} {
		s := sbom.FromImage(img)
		if s.Distro == nil || s.Distro.ID != "debian" || !strings.HasPrefix(s.Distro.VersionID, "11") ||
			im1500(t, img) != "operating system: "+s.Distro.Name()+" (from "+s.Distro.Source+")" {
			t.Errorf("%s: SBOM distro %+v, IM1500 %q", name, s.Distro, im1500(t, img))
		}
		n := len(s.Packages)
		fs, notes, err = engine.ImageVulns(img, db, engine.VulnOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := "vulnerabilities not assessed: " + vuln.Gap{Ecosystem: "Debian", Packages: n, Reason: "the vulnerability database holds no advisories for Debian:11"}.String()
		if n < 50 || len(fs) != 0 || len(notes) != 1 || engine.NotAssessed(notes) != want {
			t.Errorf("%s (%d packages): %d findings, notes %q, summary %q", name, n, len(fs), notes, engine.NotAssessed(notes))
		}
	}
}

// TestNotAssessedSummary checks the summary line over several reasons and
// the legacy wording of the single "no OS package database" case.
func TestNotAssessedSummary(t *testing.T) {
	note := func(r string) string { return "vulnerabilities not assessed: " + r + " (--fail-on-unknown to fail)" }
	cases := []struct {
		notes []string
		want  string
	}{
		{nil, ""},
		{[]string{note(sbom.NoteNoOSDatabase), note(sbom.NoteNoPackages)}, "vulnerabilities not assessed: no package database found"},
		{[]string{note(sbom.NoteNoOSDatabase)}, "OS package vulnerabilities not assessed: no OS package database found"},
		{[]string{note(sbom.NoteNoOSDatabase), note("3 npm packages: the vulnerability database holds no advisories for npm")},
			"vulnerabilities not assessed: no OS package database found; 3 npm packages: the vulnerability database holds no advisories for npm"},
	}
	for _, c := range cases {
		if got := engine.NotAssessed(c.notes); got != c.want {
			t.Errorf("NotAssessed(%q) = %q, want %q", c.notes, got, c.want)
		}
	}
}
