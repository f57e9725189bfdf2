package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// pyImage is an SBOM holding one PyPI package.
func pyImage(name, version string) *sbom.SBOM {
	return &sbom.SBOM{Packages: []sbom.Package{{Name: name, Version: version, Ecosystem: sbom.EcoPyPI,
		PURL: "pkg:pypi/" + name + "@" + version, Location: "/usr/lib/python3/dist-packages/" + name + "-" + version + ".dist-info/METADATA", Layer: 2}}}
}

// TestAffectedByAlias: PYSEC-2021-66 (jinja2 < 2.11.3) is found by its
// GHSA and CVE aliases in any case; jinja2 2.11.3 stays out.
func TestAffectedByAlias(t *testing.T) {
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		for name, v := range map[string]string{"old": "2.11.2", "fixed": "2.11.3"} {
			if _, err := s.Ingest(ctx, store.Image{Digest: digestOf(name), Ref: "app:" + name, SBOM: pyImage("jinja2", v)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MatchPending(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"PYSEC-2021-66", "GHSA-g3rq-g295-4j3m", "ghsa-g3rq-g295-4j3m", "CVE-2020-28493"} {
			got, err := s.Affected(ctx, q, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Advisories) != 1 || got.Advisories[0].ID != "PYSEC-2021-66" {
				t.Errorf("%s: advisories %+v", q, got.Advisories)
			}
			if len(got.Images) != 1 || got.Images[0].Digest != digestOf("old") {
				t.Fatalf("%s: images %+v", q, got.Images)
			}
			p := got.Images[0].Packages[0]
			if p.Name != "jinja2" || p.Version != "2.11.2" || p.FixedVersion != "2.11.3" || p.Layer != 2 || !strings.Contains(p.Path, "jinja2-2.11.2.dist-info") {
				t.Errorf("%s: package %+v", q, p)
			}
		}
	})
}

// TestPackagesStoredOnce: two images of the same bookworm package set
// share every package row; a different release of the same names does
// not; re-ingesting a digest replaces its links instead of adding them.
func TestPackagesStoredOnce(t *testing.T) {
	fx := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures")
	bookworm := fleettest.CatalogDir(t, filepath.Join(fx, "bookworm"))
	bullseye := fleettest.CatalogDir(t, filepath.Join(fx, "bullseye"))
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		r1, err := s.Ingest(ctx, store.Image{Digest: digestOf("b1"), SBOM: bookworm})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Packages != len(bookworm.Packages) || r1.NewPackages != len(bookworm.Packages) {
			t.Errorf("first image: %+v, want %d packages all new", r1, len(bookworm.Packages))
		}
		r2, err := s.Ingest(ctx, store.Image{Digest: digestOf("b2"), SBOM: bookworm})
		if err != nil || r2.NewPackages != 0 {
			t.Errorf("second image of the same packages: %+v %v", r2, err)
		}
		// Syft reports /etc/debian_version ("12.15"): the same release.
		point := *bookworm
		rel := *bookworm.Distro
		rel.VersionID = "12.15"
		point.Distro = &rel
		if r, err := s.Ingest(ctx, store.Image{Digest: digestOf("b-point"), SBOM: &point}); err != nil || r.NewPackages != 0 {
			t.Errorf("point release: %+v %v, want no new package", r, err)
		}
		r3, err := s.Ingest(ctx, store.Image{Digest: digestOf("b3"), SBOM: bullseye})
		if err != nil || r3.NewPackages != len(bullseye.Packages) {
			t.Errorf("bullseye: %+v %v, want all %d new (another release)", r3, err, len(bullseye.Packages))
		}
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("b1"), SBOM: bookworm}); err != nil {
			t.Fatal(err)
		}
		d, err := s.ImageByDigest(ctx, digestOf("b1"))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Packages) != len(bookworm.Packages) || d.Distro != "debian-12" {
			t.Errorf("re-ingested image: %d packages (want %d), distro %q", len(d.Packages), len(bookworm.Packages), d.Distro)
		}
		if _, err := s.ImageByDigest(ctx, digestOf("none")); err != store.ErrNotFound {
			t.Errorf("unknown digest: %v", err)
		}
		// Images containing a package, by version range (dpkg ordering:
		// bookworm's libc6 2.36 is >= 2.36, bullseye's 2.31 is not).
		got, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: "libc6", Versions: ">= 2.36"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Images) != 3 || !strings.HasPrefix(got[0].Version, "2.36") {
			t.Errorf("libc6 >= 2.36: %+v", got)
		}
		all, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: "libc6"})
		if err != nil || len(all) != 2 {
			t.Errorf("libc6: %+v %v", all, err)
		}
		if _, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: "libc6", Versions: ">="}); err == nil {
			t.Error("a range without a version was accepted")
		}
		for _, bad := range []store.Image{{Digest: "sha256:abc", SBOM: bookworm}, {Digest: "latest", SBOM: bookworm}, {Digest: digestOf("x")}} {
			if _, err := s.Ingest(ctx, bad); err == nil {
				t.Errorf("ingest %q accepted", bad.Digest)
			}
		}
	})
}

// TestConcurrentIngest: writers in parallel sharing new packages neither
// fail nor deadlock, and every image is whole.
func TestConcurrentIngest(t *testing.T) {
	fx := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures")
	host := fleettest.CatalogDir(t, filepath.Join(fx, "bookworm-plus"))
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					if _, err := s.Ingest(ctx, store.Image{Digest: digestOf(fmt.Sprint(w, i)), SBOM: host}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		checkWhole(t, dsn, 40)
	})
}

// checkWhole asserts that every stored image has exactly the package
// links it was stored with (no half-stored image) and that there are at
// least min images.
func checkWhole(t *testing.T, dsn string, min int) {
	t.Helper()
	s := fleettest.OpenStore(t, dsn)
	defer s.Close()
	links, counts, err := store.LinkCounts(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	images, broken := len(counts), 0
	for id, n := range counts {
		if links[id] != n {
			broken++
		}
	}
	if images < min || broken != 0 {
		t.Errorf("%d images (want at least %d), %d half-stored", images, min, broken)
	}
}

const envKillDSN = "SHIPSHAPE_FLEET_KILL_DSN"

// TestKillDuringIngest kills (SIGKILL) a process in the middle of a
// stream of ingests: the database it leaves holds only whole images.
func TestKillDuringIngest(t *testing.T) {
	if os.Getenv(envKillDSN) != "" {
		t.Skip("child process")
	}
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		fleettest.OpenStore(t, dsn).Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestIngestLoop$", "-test.v")
		cmd.Env = append(os.Environ(), envKillDSN+"="+dsn)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		stored := 0
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "stored ") {
				stored++
				if stored == 20 {
					break
				}
			}
		}
		// Let it get into the middle of the next ingests, then kill.
		time.Sleep(15 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		go func() {
			for sc.Scan() {
			}
		}()
		cmd.Wait()
		if stored < 20 {
			t.Fatalf("the child stored %d images before it ended", stored)
		}
		checkWhole(t, dsn, 20)
		// The database is usable after the kill.
		s := fleettest.OpenStore(t, dsn)
		if _, err := s.Ingest(context.Background(), store.Image{Digest: digestOf("after"), SBOM: pyImage("jinja2", "3.1.2")}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIngestLoop is the child of TestKillDuringIngest: it ingests images
// until killed.
func TestIngestLoop(t *testing.T) {
	dsn := os.Getenv(envKillDSN)
	if dsn == "" {
		t.Skip("run by TestKillDuringIngest")
	}
	fx := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures")
	host := fleettest.CatalogDir(t, filepath.Join(fx, "bookworm-plus"))
	s := fleettest.OpenStore(t, dsn)
	for i := 0; i < 100000; i++ {
		// Vary one package so that every image adds a new package row too.
		pk := append([]sbom.Package(nil), host.Packages...)
		pk[0].Version = fmt.Sprintf("%s+k%d", pk[0].Version, i)
		im := *host
		im.Packages = pk
		if _, err := s.Ingest(context.Background(), store.Image{Digest: digestOf(fmt.Sprint("kill", i)), SBOM: &im}); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("stored %d\n", i)
	}
}

// TestRematchAfterUpdate: matches made against one build of the
// vulnerability database are redone when the build changes, and only
// then; the answers survive the re-match.
func TestRematchAfterUpdate(t *testing.T) {
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("old"), SBOM: pyImage("jinja2", "2.11.2")}); err != nil {
			t.Fatal(err)
		}
		built := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.MatchPending(ctx, db, built); err != nil {
			t.Fatal(err)
		}
		if err := s.InvalidateOlder(ctx, built); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Pending(ctx); n != 0 {
			t.Errorf("same build: %d packages pending", n)
		}
		if err := s.InvalidateOlder(ctx, built.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Pending(ctx); n != 1 {
			t.Errorf("new build: %d packages pending, want 1", n)
		}
		// Until re-matched, the stored answer still stands.
		if got, _ := s.Affected(ctx, "CVE-2020-28493", store.Page{}); len(got.Images) != 1 {
			t.Errorf("before re-match: %d images", len(got.Images))
		}
		st, err := s.MatchPending(ctx, db, built.Add(time.Hour))
		if err != nil || st.Packages != 1 {
			t.Fatalf("re-match: %+v %v", st, err)
		}
		if got, _ := s.Affected(ctx, "CVE-2020-28493", store.Page{}); len(got.Images) != 1 || len(got.Images[0].Packages) != 1 {
			t.Errorf("after re-match: %+v", got.Images)
		}
	})
}
