package secrets

import (
	"archive/tar"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// treeStats is what a walk of a real tree found: files the image pass
// would read, files it leaves alone as published test material
// (Fixture), and findings.
type treeStats struct {
	files, fixtures int
	findings        []string
}

// scanTree runs the layer scanner over every regular file of a real
// directory tree, as the image pass would: Wants, then Scan. rootfs trees
// are seen from their root ("/usr/lib/..."), other trees at their place
// on this machine ("/usr/local/go/src/...").
func scanTree(t *testing.T, root string, rootfs bool) treeStats {
	t.Helper()
	s := New(0)
	var st treeStats
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable corners (sockets, permissions) are not the scanner's business
		}
		if d.IsDir() && !rootfs && p != root && (d.Name() == "site-packages" || d.Name() == "dist-packages") {
			// What pip installed on this machine varies; measure it with
			// SHIPSHAPE_SECRET_TREES.
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		name := p
		if rootfs {
			name, _ = filepath.Rel(root, p)
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		h := &tar.Header{Name: name, Typeflag: tar.TypeReg, Size: fi.Size()}
		if !s.Wants(h) {
			if fi.Size() > 0 && Fixture(CleanPath(name)) {
				st.fixtures++
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		st.files++
		got, err := s.Scan(0, h, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, g := range got {
			st.findings = append(st.findings, g.Kind+" "+g.Path+":"+strconv.Itoa(g.Line)+" "+g.Match)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// quietTrees are the real trees the scanner must stay silent on: the
// Debian root filesystems (minbase, and with python3-requests, openssl and
// Go 1.19), the Go toolchain that runs this test, this machine's Python
// standard library and npm's own node_modules. Each is a place where the
// old patterns fired (npmrc-auth on openssl.cnf and requests' sources,
// private keys in Go's testdata, generic-secret on SDK examples).
func quietTrees(t *testing.T) map[string]bool {
	trees := map[string]bool{
		corpus.BookwormRootfs(t): true,
		runtime.GOROOT():         false,
	}
	if out, err := exec.Command("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").Output(); err == nil {
		if p := strings.TrimSpace(string(out)); p != "" {
			trees[p] = false
		}
	}
	for _, p := range []string{"/usr/lib/node_modules", "/usr/local/lib/node_modules"} {
		if _, err := os.Stat(p); err == nil {
			trees[p] = false
		}
	}
	return trees
}

// TestQuietOnRealTrees: no finding at all on real operating system,
// toolchain and package trees, and the false-positive rate (findings per
// file read) is logged per tree for docs/coverage/vuln15.md.
func TestQuietOnRealTrees(t *testing.T) {
	if testing.Short() {
		t.Skip("walks whole trees")
	}
	trees := quietTrees(t)
	if apps := os.Getenv(corpus.EnvBookwormAppsRootfs); apps != "" || os.Getenv("CI") != "" {
		trees[corpus.BookwormAppsRootfs(t)] = true
	} else if _, err := os.Stat(filepath.Join(os.TempDir(), "shipshape-bookworm-apps", "complete")); err == nil {
		trees[corpus.BookwormAppsRootfs(t)] = true
	}
	// SHIPSHAPE_SECRET_TREES adds trees (colon-separated) to measure,
	// such as a site-packages directory or a Go module cache.
	for _, p := range filepath.SplitList(os.Getenv("SHIPSHAPE_SECRET_TREES")) {
		if p != "" {
			trees[p] = false
		}
	}
	for root, rootfs := range trees {
		st := scanTree(t, root, rootfs)
		if st.files < 100 {
			t.Errorf("%s: only %d files read; the tree is not what this test expects", root, st.files)
		}
		t.Logf("%s: %d files read, %d files of published test material (Go toolchain source, package tests and examples) not read, %d findings (%.5f per file)",
			root, st.files, st.fixtures, len(st.findings), float64(len(st.findings))/float64(max(st.files, 1)))
		for _, f := range st.findings {
			t.Errorf("false positive: %s", f)
		}
	}
}

// BenchmarkWants measures the per-file selection the image pass runs on
// every tar entry, Fixture included, over real image paths.
//
//	go test -run '^$' -bench Wants ./internal/secrets
func BenchmarkWants(b *testing.B) {
	paths := []string{
		"usr/share/go-1.19/src/crypto/tls/testdata/example-key.pem", "usr/lib/python3/dist-packages/requests/auth.py",
		"usr/lib/x86_64-linux-gnu/libc.so.6", "etc/ssl/openssl.cnf", "app/node_modules/lodash/test/test.js",
		"usr/local/lib/python3.11/site-packages/botocore/data/ec2/2016-11-15/service-2.json", "root/.npmrc",
	}
	s := New(0)
	// As the image pass hands them over: clean and absolute.
	hs := make([]*tar.Header, len(paths))
	for i, p := range paths {
		hs[i] = &tar.Header{Name: "/" + p, Typeflag: tar.TypeReg, Size: 1000}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Wants(hs[i%len(hs)])
	}
}
