package recommend_test

import (
	"archive/tar"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/recommend"
	"github.com/shipshape-sec/shipshape/internal/remoteopt"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// now is after Node.js 20's end and before Debian 12's.
var now = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

// dpkgPackage is one stanza of a dpkg status file, read here without
// shipshape's cataloguer so that expectations are independent of it.
type dpkgPackage struct{ name, version, source, sourceVersion string }

func readStatus(t *testing.T, data string) []dpkgPackage {
	t.Helper()
	var out []dpkgPackage
	for _, stanza := range strings.Split(strings.TrimSpace(data), "\n\n") {
		var p dpkgPackage
		installed := false
		for _, line := range strings.Split(stanza, "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "Package":
				p.name = v
			case "Version":
				p.version = v
			case "Source":
				p.source, p.sourceVersion, _ = strings.Cut(v, " ")
				p.sourceVersion = strings.Trim(p.sourceVersion, "()")
			case "Status":
				installed = strings.HasSuffix(v, " installed")
			}
		}
		if !installed {
			continue
		}
		if p.source == "" {
			p.source = p.name
		}
		if p.sourceVersion == "" {
			p.sourceVersion = p.version
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		t.Fatal("no installed package in the status file")
	}
	return out
}

// dropPackages removes packages' stanzas from a dpkg status file.
func dropPackages(status string, drop map[string]bool) string {
	var keep []string
	for _, stanza := range strings.Split(strings.TrimSpace(status), "\n\n") {
		name, _, _ := strings.Cut(strings.TrimPrefix(stanza, "Package: "), "\n")
		if !drop[name] {
			keep = append(keep, stanza)
		}
	}
	return strings.Join(keep, "\n\n") + "\n"
}

// changelogRow is one line of bookworm-plus-changelog-cves.tsv.
type changelogRow struct {
	source, fixed string
	ids           []string
}

// changelogDB imports the Debian OVAL definitions of bookworm and OSV
// records derived from the CVE ids the Debian changelogs name between the
// bookworm and the bookworm-security versions (as the vuln package's proof
// test builds them) into a new database.
func changelogDB(t *testing.T, shared string) (*vuln.DB, map[string]changelogRow) {
	t.Helper()
	fx := filepath.Join(shared, "data", "debian")
	tsv, err := os.ReadFile(filepath.Join(fx, "rootfs-fixtures", "bookworm-plus-changelog-cves.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]changelogRow{}
	recDir := t.TempDir()
	for i, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 4 {
			continue
		}
		r := changelogRow{source: f[0], fixed: f[2]}
		for _, id := range strings.Fields(f[3]) {
			if !strings.HasPrefix(id, "CVE-") && !strings.HasPrefix(id, "GHSA-") {
				continue
			}
			r.ids = append(r.ids, id)
			rec := map[string]any{
				"schema_version": "1.6.0", "id": "DEBCL-" + r.source + "-" + id, "aliases": []string{id},
				"summary": "derived from the Debian changelog of " + r.source + " " + r.fixed,
				"affected": []map[string]any{{
					"package": map[string]string{"ecosystem": "Debian:12", "name": r.source},
					"ranges":  []map[string]any{{"type": "ECOSYSTEM", "events": []map[string]string{{"introduced": "0"}, {"fixed": r.fixed}}}},
				}},
			}
			b, _ := json.Marshal(rec)
			if err := os.WriteFile(filepath.Join(recDir, r.source+"-"+id+".json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		rows[r.source] = r
	}
	path := filepath.Join(t.TempDir(), "vuln.db")
	w, err := vuln.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(fx, "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2"), recDir} {
		if _, err := vuln.Import(w, p, p, now); err != nil {
			w.Abort()
			t.Fatalf("import %s: %v", p, err)
		}
	}
	if err := w.Commit(now); err != nil {
		t.Fatal(err)
	}
	db, err := vuln.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, rows
}

// expectedVulns counts the advisory-package pairs of installed packages
// whose source version is older than the changelog's fixed version, by
// dpkg --compare-versions.
func expectedVulns(t *testing.T, pkgs []dpkgPackage, rows map[string]changelogRow) int {
	t.Helper()
	n := 0
	for _, p := range pkgs {
		r, ok := rows[p.source]
		if !ok || len(r.ids) == 0 {
			continue
		}
		err := exec.Command("dpkg", "--compare-versions", p.sourceVersion, "lt", r.fixed).Run()
		var ee *exec.ExitError
		switch {
		case err == nil:
			n += len(r.ids)
		case errors.As(err, &ee) && ee.ExitCode() == 1:
		default:
			t.Fatalf("dpkg --compare-versions: %v", err)
		}
	}
	return n
}

// rootfsImage builds a one-layer image from the real files under root's
// dirs, streamed from disk: skip leaves files out, replace swaps a file's
// content.
func rootfsImage(t *testing.T, root string, dirs []string, skip func(rel string) bool, replace map[string]string) v1.Image {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "layer.tar")
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	tw := tar.NewWriter(bw)
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if skip != nil && skip(rel) {
				if de.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			fi, err := de.Info()
			if err != nil {
				return err
			}
			link := ""
			if fi.Mode()&fs.ModeSymlink != 0 {
				if link, err = os.Readlink(p); err != nil {
					return err
				}
			} else if !fi.Mode().IsRegular() && !fi.IsDir() {
				return nil
			}
			h, err := tar.FileInfoHeader(fi, link)
			if err != nil {
				return err
			}
			h.Name, h.Uname, h.Gname = rel, "", ""
			h.ModTime, h.AccessTime, h.ChangeTime = time.Unix(0, 0), time.Time{}, time.Time{}
			body, replaced := replace[rel]
			if fi.IsDir() {
				h.Name += "/"
			} else if replaced {
				h.Size = int64(len(body))
			}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if !fi.Mode().IsRegular() {
				return nil
			}
			if replaced {
				_, err = io.WriteString(tw, body)
				return err
			}
			src, err := os.Open(p)
			if err != nil {
				return err
			}
			defer src.Close()
			_, err = io.Copy(tw, src)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", runtime.GOARCH
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func compressedSize(t *testing.T, img v1.Image) int64 {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	n := m.Config.Size
	for _, l := range m.Layers {
		n += l.Size
	}
	return n
}

// TestCompareOnline pushes debian:bookworm, made of the real files of a
// debootstrap bookworm (configuration, package database, documentation),
// and debian:bookworm-slim, the same without documentation and without
// apt, to a registry on loopback that mirrors docker.io and gcr.io, and
// compares them against a database of Debian's OVAL data and changelog
// advisories. The counts are checked against the status files read here
// and dpkg's own version comparison.
func TestCompareOnline(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dpkg is not installed: it is the independent oracle of this test")
		}
		t.Skip("dpkg not installed: it is the independent oracle of this test")
	}
	root := corpus.BookwormRootfs(t)
	db, rows := changelogDB(t, corpus.Shared(t))
	statusPath := filepath.Join(root, "var", "lib", "dpkg", "status")
	raw, err := os.ReadFile(statusPath)
	if err != nil {
		t.Fatal(err)
	}
	drop := map[string]bool{"apt": true, "libapt-pkg6.0": true}
	slimStatus := dropPackages(string(raw), drop)
	dirs := []string{"etc", "var/lib/dpkg", "usr/share/doc", "usr/share/man"}
	full := rootfsImage(t, root, dirs, nil, nil)
	slim := rootfsImage(t, root, dirs, func(rel string) bool {
		if strings.HasPrefix(rel, "usr/share/doc") || strings.HasPrefix(rel, "usr/share/man") || strings.HasPrefix(rel, "etc/apt") {
			return true
		}
		b := filepath.Base(rel)
		return strings.HasPrefix(rel, "var/lib/dpkg/info/") && (strings.HasPrefix(b, "apt.") || strings.HasPrefix(b, "libapt-pkg6.0"))
	}, map[string]string{"var/lib/dpkg/status": slimStatus})

	host := trusttest.Registry(t)
	fullDigest := trusttest.Push(t, host+"/library/debian:bookworm", full)
	slimDigest := trusttest.Push(t, host+"/library/debian:bookworm-slim", slim)
	m := recommend.Mirrors{}
	for _, reg := range []string{"docker.io", "gcr.io"} {
		if err := m.Set(reg + "=" + host); err != nil {
			t.Fatal(err)
		}
	}
	o := recommend.Options{Name: remoteopt.Name(false), Remote: remoteopt.Remote(nil, nil, false), Mirrors: m, DB: db,
		Platform: v1.Platform{OS: "linux", Architecture: runtime.GOARCH}, Scan: imageread.ScanOptions{NoCache: true}}
	compare := func(ref string) recommend.Recommendation {
		t.Helper()
		tg, err := recommend.ParseTarget(ref, m)
		if err != nil {
			t.Fatal(err)
		}
		rec := recommend.Offline(tg, eol.Default(), now)
		if err := recommend.Compare(context.Background(), &rec, o); err != nil {
			t.Fatal(err)
		}
		return rec
	}

	fullPkgs := readStatus(t, string(raw))
	slimPkgs := readStatus(t, slimStatus)
	wantFull, wantSlim := expectedVulns(t, fullPkgs, rows), expectedVulns(t, slimPkgs, rows)
	if wantFull == 0 || wantFull <= wantSlim {
		t.Fatalf("the fixture does not exercise the comparison: %d and %d vulnerabilities expected", wantFull, wantSlim)
	}

	rec := compare("debian:bookworm")
	cur := rec.Current
	if cur == nil || cur.Digest != fullDigest || cur.Packages != len(fullPkgs) || cur.Size != compressedSize(t, full) {
		t.Fatalf("current: %+v, want %s, %d packages, %d bytes", cur, fullDigest, len(fullPkgs), compressedSize(t, full))
	}
	// The changelog advisories match exactly what dpkg says is older than
	// the fix; Debian's OVAL data adds the issues it lists as unfixed in
	// bookworm (CVE-2011-3374 in apt, ...), each for an installed package.
	installed := map[string]bool{}
	for _, p := range fullPkgs {
		installed[p.name] = true
	}
	keys := recommend.FoundKeys(cur)
	changelog, inApt := 0, 0
	for _, k := range keys {
		id, pkg, _ := strings.Cut(k, "|")
		if strings.HasPrefix(id, "DEBCL-") {
			changelog++
		}
		if !installed[pkg] {
			t.Errorf("%s: not an installed package", k)
		}
		if drop[pkg] {
			inApt++
		}
	}
	if changelog != wantFull || inApt == 0 {
		t.Fatalf("current: %d changelog advisories (want %d), %d in apt; all: %v", changelog, wantFull, inApt, keys)
	}
	// Neither feed carries a severity: every vulnerability is unknown.
	if v := cur.Vulnerabilities; v == nil || v.Total != len(keys) || v.Unknown != len(keys) || v.Critical+v.High+v.Medium+v.Low != 0 {
		t.Fatalf("current vulnerabilities %+v, want %d unknown", cur.Vulnerabilities, len(keys))
	}
	byRef := map[string]recommend.Candidate{}
	for _, c := range rec.Candidates {
		byRef[c.Ref] = c
	}
	s := byRef["debian:bookworm-slim"]
	if s.Found == nil || !*s.Found || s.Facts == nil || s.Facts.Digest != slimDigest || s.Facts.Packages != len(slimPkgs) {
		t.Fatalf("bookworm-slim: %+v", s)
	}
	if s.Facts.Size != compressedSize(t, slim) || s.Facts.Size >= cur.Size {
		t.Errorf("bookworm-slim size %d (manifest says %d), current %d", s.Facts.Size, compressedSize(t, slim), cur.Size)
	}
	// Dropping apt fixes exactly the vulnerabilities of its two packages.
	slimChangelog := 0
	for _, k := range recommend.FoundKeys(s.Facts) {
		if strings.HasPrefix(k, "DEBCL-") {
			slimChangelog++
		}
	}
	if slimChangelog != wantSlim || s.Facts.Vulnerabilities.Total != len(keys)-inApt || *s.Fixes != inApt || *s.Adds != 0 {
		t.Errorf("bookworm-slim: %d vulnerabilities (%d from changelogs), fixes %d, adds %d; want %d (%d), %d, 0",
			s.Facts.Vulnerabilities.Total, slimChangelog, *s.Fixes, *s.Adds, len(keys)-inApt, wantSlim, inApt)
	}
	// Fixing unknown-severity vulnerabilities raises the low offline
	// advice to high, and the slim image is the best candidate found.
	if !s.Recommended || !s.Best || s.Severity != rule.High {
		t.Errorf("bookworm-slim: recommended %v best %v severity %s", s.Recommended, s.Best, s.Severity)
	}
	for _, ref := range []string{"gcr.io/distroless/base-debian12", "debian:trixie"} {
		c, ok := byRef[ref]
		if !ok || c.Found == nil || *c.Found || c.Recommended || c.Best || !strings.Contains(c.Problem, "not in the registry") {
			t.Errorf("%s: %+v, want a candidate not in the registry", ref, c)
		}
	}
	t.Logf("debian:bookworm: %d packages, %d vulnerabilities, %d bytes; bookworm-slim: %d, %d, %d bytes", cur.Packages, cur.Vulnerabilities.Total, cur.Size, s.Facts.Packages, s.Facts.Vulnerabilities.Total, s.Facts.Size)

	// The slim image is already the best: its only candidate, trixie-slim,
	// is not in the registry.
	rec = compare("debian:bookworm-slim")
	if rec.Current == nil || rec.Current.Vulnerabilities.Total != len(keys)-inApt || !strings.Contains(rec.Note, "already the best") {
		t.Errorf("bookworm-slim as the image in use: %+v", rec)
	}
	for _, c := range rec.Candidates {
		if c.Recommended {
			t.Errorf("bookworm-slim as the image in use: %s recommended", c.Ref)
		}
	}

	// The full image as a candidate of the slim one would add
	// vulnerabilities: push it as trixie-slim's stand-in and it is refused.
	trusttest.Push(t, host+"/library/debian:trixie-slim", full)
	rec = compare("debian:bookworm-slim")
	if len(rec.Candidates) != 1 || rec.Candidates[0].Recommended || !strings.Contains(rec.Candidates[0].Problem, fmt.Sprintf("has %d more", inApt)) {
		t.Errorf("a worse candidate: %+v", rec.Candidates)
	}

	// Unreachable: an error, never "nothing better".
	dead := recommend.Mirrors{}
	dead.Set("docker.io=127.0.0.1:1")
	o.Mirrors = dead
	tg, _ := recommend.ParseTarget("debian:bookworm", dead)
	rec = recommend.Offline(tg, eol.Default(), now)
	if err := recommend.Compare(context.Background(), &rec, o); err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("unreachable registry: %v", err)
	}
}
