package sbom_test

import (
	"bufio"
	"context"
	"debug/buildinfo"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// catalogDir reads a directory as shipshape sbom dir:PATH does.
func catalogDir(t *testing.T, dir string) *sbom.SBOM {
	t.Helper()
	return sbom.FromImage(scanForSBOM(t, "dir:"+dir))
}

// scanForSBOM reads ref with the streaming pass and the SBOM's scanners.
func scanForSBOM(t *testing.T, ref string) *image.Image {
	t.Helper()
	ctx := context.Background()
	src, err := imageread.Open(ctx, ref, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img, err := imageread.Scan(ctx, src, sbom.ScanOptions(imageread.ScanOptions{NoCache: true}))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// row is one package as an independent oracle sees it.
type row struct{ name, version, srcName, srcVersion string }

// dpkgOracle lists the installed packages of a dpkg status file with
// dpkg-query on a private copy of it, or, where dpkg-query is not
// installed, with net/textproto's header reader: either way not through
// the cataloger's parser.
func dpkgOracle(t *testing.T, status string) []row {
	t.Helper()
	data, err := os.ReadFile(status)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("dpkg-query"); err == nil {
		admin := t.TempDir()
		if err := os.WriteFile(filepath.Join(admin, "status"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("dpkg-query", "--admindir="+admin, "-W", "-f", `${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n`).Output()
		if err != nil {
			t.Fatal(err)
		}
		var rows []row
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Split(l, "\t")
			if len(f) == 5 && f[0] == "installed" {
				rows = append(rows, row{f[1], f[2], f[3], f[4]})
			}
		}
		return sortRows(rows)
	}
	var rows []row
	tp := textproto.NewReader(bufio.NewReader(strings.NewReader(string(data) + "\n")))
	for {
		h, err := tp.ReadMIMEHeader()
		if len(h) > 0 && strings.HasSuffix(h.Get("Status"), " installed") {
			r := row{h.Get("Package"), h.Get("Version"), h.Get("Package"), h.Get("Version")}
			if s := h.Get("Source"); s != "" {
				f := strings.Fields(s)
				r.srcName = f[0]
				if len(f) > 1 {
					r.srcVersion = strings.Trim(f[1], "()")
				}
			}
			rows = append(rows, r)
		}
		if err != nil {
			break
		}
	}
	return sortRows(rows)
}

func sortRows(rs []row) []row {
	sort.Slice(rs, func(i, j int) bool { return rs[i].name+" "+rs[i].version < rs[j].name+" "+rs[j].version })
	return rs
}

func rowsOf(s *sbom.SBOM, cataloger string) []row {
	var rs []row
	for _, p := range s.Packages {
		if p.Cataloger == cataloger {
			rs = append(rs, row{p.Name, p.Version, p.SourceName, p.SourceVersion})
		}
	}
	return sortRows(rs)
}

func compareRows(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d packages, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("package %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestDpkgBookwormFixture(t *testing.T) {
	root := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm")
	want := dpkgOracle(t, filepath.Join(root, "var", "lib", "dpkg", "status"))
	if len(want) != 88 {
		t.Fatalf("oracle found %d packages, the data README says 88", len(want))
	}
	s := catalogDir(t, root)
	compareRows(t, rowsOf(s, "dpkg"), want)
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.VersionID != "12" || s.Distro.Codename != "bookworm" {
		t.Errorf("distro %+v", s.Distro)
	}
	var bash *sbom.Package
	for i, p := range s.Packages {
		if p.Name == "bash" {
			bash = &s.Packages[i]
		}
		if p.Ecosystem != sbom.EcoDebian || p.Layer != -1 || !strings.HasPrefix(p.PURL, "pkg:deb/debian/") {
			t.Errorf("%s: ecosystem %q layer %d purl %q", p.Name, p.Ecosystem, p.Layer, p.PURL)
		}
	}
	if bash == nil || bash.SourceVersion != "5.2.15-2" || bash.PURL != "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12" {
		t.Errorf("bash: %+v", bash)
	}
	if len(s.Notes) != 0 {
		t.Errorf("notes %q", s.Notes)
	}
}

func TestDpkgOtherFixtures(t *testing.T) {
	shared := corpus.Shared(t)
	for name, n := range map[string]int{"bookworm-plus": 114, "bullseye": 96} {
		t.Run(name, func(t *testing.T) {
			root := filepath.Join(shared, "data", "debian", "rootfs-fixtures", name)
			want := dpkgOracle(t, filepath.Join(root, "var", "lib", "dpkg", "status"))
			if len(want) != n {
				t.Fatalf("oracle found %d packages, want %d", len(want), n)
			}
			compareRows(t, rowsOf(catalogDir(t, root), "dpkg"), want)
		})
	}
}

// TestDpkgBookwormRootfs reads the real debootstrap root filesystem .ci/run
// builds: the same 88 packages, each with the files its dpkg list names,
// and no language package owned by one of them.
func TestDpkgBookwormRootfs(t *testing.T) {
	root := corpus.BookwormRootfs(t)
	want := dpkgOracle(t, filepath.Join(root, "var", "lib", "dpkg", "status"))
	if len(want) != 88 {
		t.Fatalf("oracle found %d packages, want 88", len(want))
	}
	s := catalogDir(t, root)
	compareRows(t, rowsOf(s, "dpkg"), want)
	for _, p := range s.Packages {
		if p.Cataloger == "dpkg" && len(p.Files) == 0 && !strings.HasPrefix(p.Name, "gcc-12-base") {
			t.Errorf("%s: no files from its dpkg list", p.Name)
		}
		if p.Cataloger != "dpkg" {
			t.Errorf("unexpected %s package %s %s at %s", p.Cataloger, p.Name, p.Version, p.Location)
		}
	}
}

// apkOracle counts the paragraphs of an apk database by splitting on blank
// lines, independently of the cataloger.
func apkOracle(t *testing.T, file string) []row {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	for _, para := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n") {
		r := row{}
		for _, l := range strings.Split(para, "\n") {
			switch {
			case strings.HasPrefix(l, "P:"):
				r.name = l[2:]
			case strings.HasPrefix(l, "V:"):
				r.version, r.srcVersion = l[2:], l[2:]
			case strings.HasPrefix(l, "o:"):
				r.srcName = l[2:]
			}
		}
		if r.name != "" {
			rows = append(rows, r)
		}
	}
	return sortRows(rows)
}

func TestApkAlpineFixtures(t *testing.T) {
	shared := corpus.Shared(t)
	for _, v := range []string{"310", "311"} {
		t.Run(v, func(t *testing.T) {
			root := filepath.Join(shared, "data", "alpine", "alpine-"+v+"-metadata")
			want := apkOracle(t, filepath.Join(root, "lib", "apk", "db", "installed"))
			if len(want) != 14 {
				t.Fatalf("oracle found %d packages, want 14", len(want))
			}
			s := catalogDir(t, root)
			compareRows(t, rowsOf(s, "apk"), want)
			if s.Distro == nil || s.Distro.ID != "alpine" {
				t.Fatalf("distro %+v", s.Distro)
			}
			found := false
			for _, p := range s.Packages {
				if p.Ecosystem != sbom.EcoAlpine || len(p.Files) == 0 && p.Name != "alpine-baselayout" && p.Name != "alpine-keys" {
					// every package but meta ones owns files
				}
				if p.Name == "libssl1.1" {
					found = true
					if p.SourceName != "openssl" || !strings.HasPrefix(p.PURL, "pkg:apk/alpine/libssl1.1@") || !strings.Contains(p.PURL, "distro=alpine-3.1") {
						t.Errorf("libssl1.1: %+v", p)
					}
				}
			}
			if !found {
				t.Error("libssl1.1 missing")
			}
		})
	}
}

// TestGoBinary catalogues this test binary (its module and the modules it
// links, and the Go toolchain as stdlib) and, where the go command is
// available, a tiny main module built in the test.
func TestGoBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bi, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Skipf("test binary has no build info: %v", err)
	}
	dir := t.TempDir()
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	if gobin, err := exec.LookPath("go"); err == nil {
		// The tiny module requires one module this repository already
		// depends on, so that the build works offline from the module
		// cache with the checksums of our own go.sum.
		var lines []string
		for _, l := range strings.Split(read(t, "../../go.sum"), "\n") {
			if strings.HasPrefix(l, "github.com/package-url/packageurl-go v0.1.7 ") || strings.HasPrefix(l, "github.com/package-url/packageurl-go v0.1.7/") {
				lines = append(lines, l)
			}
		}
		mod := imagetest.TreeAt(t, filepath.Join(dir, "src"), map[string]string{
			"go.sum":  strings.Join(lines, "\n") + "\n",
			"go.mod":  "module example.com/tiny\n\ngo 1.22\n\nrequire github.com/package-url/packageurl-go v0.1.7\n",
			"main.go": "package main\n\nimport \"github.com/package-url/packageurl-go\"\n\nfunc main() { println(packageurl.TypeGolang) }\n",
		})
		cmd := exec.Command(gobin, "build", "-o", filepath.Join(dir, "bin", "tiny"), ".")
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOPROXY=off", "CGO_ENABLED=0", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		os.RemoveAll(mod)
	}
	s := catalogDir(t, dir)
	byLoc := map[string]map[string]string{}
	for _, p := range s.Packages {
		if p.Cataloger != "go-binary" || p.Ecosystem != sbom.EcoGo {
			t.Errorf("unexpected %+v", p)
			continue
		}
		if byLoc[p.Location] == nil {
			byLoc[p.Location] = map[string]string{}
		}
		byLoc[p.Location][p.Name] = p.Version
	}
	goVer := "v" + strings.TrimPrefix(strings.Fields(runtime.Version())[0], "go")
	app := byLoc["/app"]
	if app["stdlib"] != goVer {
		t.Errorf("stdlib %q, want %q", app["stdlib"], goVer)
	}
	if app[bi.Main.Path] != bi.Main.Version {
		t.Errorf("main module %s %q, want %q", bi.Main.Path, app[bi.Main.Path], bi.Main.Version)
	}
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		if app[d.Path] != d.Version {
			t.Errorf("dep %s %q, want %q", d.Path, app[d.Path], d.Version)
		}
	}
	if tiny, ok := byLoc["/bin/tiny"]; ok {
		if tiny["example.com/tiny"] != "(devel)" || tiny["stdlib"] != goVer || tiny["github.com/package-url/packageurl-go"] != "v0.1.7" || len(tiny) != 3 {
			t.Errorf("tiny: %v", tiny)
		}
	} else if _, err := exec.LookPath("go"); err == nil {
		t.Error("tiny binary not catalogued")
	}
}

func packagesBy(s *sbom.SBOM, eco string) map[string]string {
	out := map[string]string{}
	for _, p := range s.Packages {
		if p.Ecosystem == eco {
			out[p.Name] = p.Version
		}
	}
	return out
}

// TestProjectDir catalogues a project directory holding a package-lock.json
// with its node_modules, Python site-packages and Java archives.
func TestProjectDir(t *testing.T) {
	s := catalogDir(t, "testdata/project")
	npm := packagesBy(s, sbom.EcoNPM)
	// The 12 packages of the v1 lockfile (Trivy's golden output for the same
	// fixture lists the same 12) and z-lock, installed but not locked.
	want := map[string]string{
		"asap": "2.0.6", "jquery": "3.3.9", "js-tokens": "4.0.0", "loose-envify": "1.4.0", "object-assign": "4.1.1",
		"promise": "8.0.3", "prop-types": "15.7.2", "react": "16.8.6", "react-is": "16.8.6", "redux": "4.0.1",
		"scheduler": "0.13.6", "symbol-observable": "1.2.0", "z-lock": "1.0.0",
	}
	if len(npm) != len(want) {
		t.Errorf("npm: %v, want %v", npm, want)
	}
	for n, v := range want {
		if npm[n] != v {
			t.Errorf("npm %s: %q, want %q", n, npm[n], v)
		}
	}
	count := 0
	for _, p := range s.Packages {
		if p.Ecosystem == sbom.EcoNPM {
			count++
			if p.Name == "jquery" && (p.Location != "/node_modules/jquery/package.json" || p.PURL != "pkg:npm/jquery@3.3.9" || len(p.Licenses) != 1 || p.Licenses[0] != "MIT") {
				t.Errorf("jquery: %+v", p)
			}
		}
	}
	if count != len(want) {
		t.Errorf("%d npm entries, want %d (an installed package is not repeated from the lockfile)", count, len(want))
	}
	py := packagesBy(s, sbom.EcoPyPI)
	if len(py) != 2 || py["Flask"] != "2.0.0" || py["annotated-types"] != "0.7.0" {
		t.Errorf("python: %v", py)
	}
	mvn := packagesBy(s, sbom.EcoMaven)
	wantMvn := map[string]string{
		"com.google.guava:failureaccess": "1.0.1", "com.google.guava:guava": "29.0-jre", "com.google.guava:listenablefuture": "9999.0-empty-to-avoid-conflict-with-guava",
		"com.google.j2objc:j2objc-annotations": "1.3", "org.apache.hadoop.thirdparty:hadoop-shaded-guava": "1.1.0-SNAPSHOT",
		"test:nested": "0.0.1", "test:nested2": "0.0.2", "test:nested3": "0.0.3",
	}
	if len(mvn) != len(wantMvn) {
		t.Errorf("maven: %v", mvn)
	}
	for n, v := range wantMvn {
		if mvn[n] != v {
			t.Errorf("maven %s: %q, want %q", n, mvn[n], v)
		}
	}
	for _, p := range s.Packages {
		if p.Name == "test:nested3" && p.Location != "/lib/jars/nested.jar!/META-INF/jars/nested2.jar!/META-INF/jars/nested3.jar" {
			t.Errorf("nested3 location %q", p.Location)
		}
		if p.Name == "com.google.guava:guava" && p.PURL != "pkg:maven/com.google.guava/guava@29.0-jre" {
			t.Errorf("guava purl %q", p.PURL)
		}
	}
	if s.Distro != nil || len(s.Notes) != 0 {
		t.Errorf("distro %+v notes %q", s.Distro, s.Notes)
	}
}

// TestOwnedFilesNotRepeated: python3-urllib3's egg-info belongs to the
// Debian package (Debian patches it without changing the upstream
// version), so it is not a PyPI package; a pip install under /usr/local is.
func TestOwnedFilesNotRepeated(t *testing.T) {
	s := catalogDir(t, "testdata/debian-python")
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.Ecosystem+" "+p.Name+" "+p.Version)
	}
	want := []string{"Debian python3-urllib3 1.26.12-1+deb12u4", "PyPI Flask 2.0.0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNoDatabase(t *testing.T) {
	s := catalogDir(t, t.TempDir())
	if len(s.Packages) != 0 || len(s.Notes) == 0 || s.Notes[len(s.Notes)-1] != sbom.NoteNoPackages {
		t.Errorf("packages %d notes %q", len(s.Packages), s.Notes)
	}
}

// TestDpkgDistrolessStatusD splits the real bookworm status file into one
// file per package under status.d, as distroless images ship it (without
// Status fields), and expects the same 88 packages.
func TestDpkgDistrolessStatusD(t *testing.T) {
	src := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm")
	want := dpkgOracle(t, filepath.Join(src, "var", "lib", "dpkg", "status"))
	data, err := os.ReadFile(filepath.Join(src, "var", "lib", "dpkg", "status"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"etc/os-release": read(t, filepath.Join(src, "etc", "os-release"))}
	for _, para := range strings.Split(string(data), "\n\n") {
		var name string
		var kept []string
		for _, l := range strings.Split(para, "\n") {
			if n, ok := strings.CutPrefix(l, "Package: "); ok {
				name = n
			}
			if !strings.HasPrefix(l, "Status:") {
				kept = append(kept, l)
			}
		}
		if name == "" {
			continue
		}
		files["var/lib/dpkg/status.d/"+name] = strings.Join(kept, "\n") + "\n"
		// distroless also ships md5sums beside each stanza.
		files["var/lib/dpkg/status.d/"+name+".md5sums"] = "d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/" + name + "/copyright\n"
	}
	root := imagetest.Tree(t, files)
	s := catalogDir(t, root)
	compareRows(t, rowsOf(s, "dpkg"), want)
}
