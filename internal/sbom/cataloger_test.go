package sbom

import (
	"archive/tar"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// copyCatalogers deep-copies Catalogers through JSON (every declared
// field is exported data, TestDeclarationsAreData checks it), so that a
// test can change a copy without touching the shared pattern slices.
func copyCatalogers(t *testing.T) []Cataloger {
	t.Helper()
	b, err := json.Marshal(Catalogers())
	if err != nil {
		t.Fatal(err)
	}
	var out []Cataloger
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, Catalogers()) {
		t.Fatalf("the JSON copy of Catalogers differs from it")
	}
	return out
}

// leaves calls visit for every declared value reachable from v: each
// string, number and bool, and each slice (to which one can append), with
// a name for messages. visit returns true to stop.
func leaves(v reflect.Value, name string, visit func(v reflect.Value, name string) bool) bool {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if leaves(v.Field(i), name+"."+v.Type().Field(i).Name, visit) {
				return true
			}
		}
		return false
	case reflect.Slice:
		if visit(v, name+"[+]") {
			return true
		}
		for i := 0; i < v.Len(); i++ {
			if leaves(v.Index(i), name+"["+string(rune('0'+i%10))+"]", visit) {
				return true
			}
		}
		return false
	}
	return visit(v, name)
}

// change alters one leaf: a string gets a suffix, a number grows by one, a
// bool flips, a slice gets one more (zero or "x") element.
func change(t *testing.T, v reflect.Value, name string) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.String {
			e.SetString("x")
		}
		v.Set(reflect.Append(v, e))
	default:
		t.Fatalf("%s: a declaration field of kind %s, which this test cannot change", name, v.Kind())
	}
}

// TestCacheKeyFollowsEveryDeclaration changes each declared value of each
// cataloger in turn (its name, version, every pattern, size limit and
// scan selector, and each list by one more element) and fails when the
// derived cache key stays the same: a layer cached under the old
// declaration must not be served for the new one.
func TestCacheKeyFollowsEveryDeclaration(t *testing.T) {
	want := cacheKeyOf(copyCatalogers(t))
	if want != CacheKey() {
		t.Fatalf("the copy's key %s differs from CacheKey %s", want, CacheKey())
	}
	n := 0
	leaves(reflect.ValueOf(copyCatalogers(t)), "Catalogers", func(reflect.Value, string) bool { n++; return false })
	if n < 40 {
		t.Fatalf("only %d declared values found", n)
	}
	for k := 0; k < n; k++ {
		cats := copyCatalogers(t)
		i, changed := 0, ""
		v := reflect.New(reflect.TypeOf(cats)).Elem()
		v.Set(reflect.ValueOf(cats))
		leaves(v, "Catalogers", func(leaf reflect.Value, name string) bool {
			if i == k {
				change(t, leaf, name)
				changed = name
				return true
			}
			i++
			return false
		})
		if got := cacheKeyOf(v.Interface().([]Cataloger)); got == want {
			t.Errorf("changing %s left the cache key %s", changed, got)
		}
	}
}

// TestDeclarationsAreData checks that every field of a declaration is
// exported data that the JSON encoding (and so the key) includes: a func,
// an unexported field or a `json:"-"` tag would change behaviour without
// changing the key.
func TestDeclarationsAreData(t *testing.T) {
	var check func(reflect.Type, string)
	check = func(ty reflect.Type, name string) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				f := ty.Field(i)
				if !f.IsExported() || f.Tag.Get("json") == "-" {
					t.Errorf("%s.%s is not part of the cache key", name, f.Name)
				}
				check(f.Type, name+"."+f.Name)
			}
		case reflect.Slice:
			check(ty.Elem(), name)
		case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		default:
			t.Errorf("%s is a %s, not plain data", name, ty.Kind())
		}
	}
	check(reflect.TypeOf(Cataloger{}), "Cataloger")
}

// The predicates the catalogers were selected by before they were
// declared, kept as the reference the declarations must agree with.
func oldCapture(p string, size int64) bool {
	if image.DefaultCapture(p, size) {
		return true
	}
	if size > maxManifestSize {
		return false
	}
	if rest, ok := strings.CutPrefix(p, "/var/lib/dpkg/info/"); ok {
		return strings.HasSuffix(rest, ".list") && !strings.Contains(rest, "/")
	}
	if oldNodeModulesManifest(p) || oldPythonMetadata(p) || goProjectFile(p) || goToolchainFile(p, size) || nodeProjectFile(p) {
		return true
	}
	return path.Base(p) == "package-lock.json" && !strings.Contains(p, "/node_modules/")
}

// goProjectFile is the go-module cataloger's selection written by hand
// (added with it): go.mod and go.sum anywhere except dependencies' copies
// and Go toolchains.
func goProjectFile(p string) bool {
	if b := path.Base(p); b != "go.mod" && b != "go.sum" {
		return false
	}
	for _, d := range []string{"/pkg/mod/", "/vendor/", "/testdata/"} {
		if strings.Contains(p, d) {
			return false
		}
	}
	return !strings.HasPrefix(p, "/usr/lib/go") && !strings.HasPrefix(p, "/usr/share/go-") && !strings.HasPrefix(p, "/usr/local/go/")
}

// nodeProjectFile is the yarn and pnpm catalogers' selection by hand
// (added with them): their lockfiles and a project's package.json, outside
// node_modules.
func nodeProjectFile(p string) bool {
	switch path.Base(p) {
	case "yarn.lock", "pnpm-lock.yaml", "package.json":
		return !strings.Contains(p, "/node_modules/")
	}
	return false
}

// goToolchainFile is the go-toolchain cataloger's selection by hand.
func goToolchainFile(p string, size int64) bool {
	if size > 4<<10 || path.Base(p) != "VERSION" {
		return false
	}
	dir := path.Dir(p)
	return dir == "/usr/lib/go" || dir == "/usr/local/go" || strings.HasPrefix(dir, "/usr/lib/go-") && !strings.Contains(dir[len("/usr/lib/go-"):], "/")
}

func oldNodeModulesManifest(p string) bool {
	if path.Base(p) != "package.json" {
		return false
	}
	parent := path.Dir(path.Dir(p))
	if path.Base(parent) == "node_modules" {
		return true
	}
	return strings.HasPrefix(path.Base(parent), "@") && path.Base(path.Dir(parent)) == "node_modules"
}

func oldPythonMetadata(p string) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case base == "METADATA":
		return strings.HasSuffix(dir, ".dist-info")
	case base == "PKG-INFO":
		return strings.HasSuffix(dir, ".egg-info")
	case strings.HasSuffix(base, ".egg-info"):
		parent := path.Base(dir)
		return parent == "site-packages" || parent == "dist-packages"
	}
	return false
}

func oldWants(h *tar.Header) bool {
	if h.Size < 64 || h.Size > MaxBinarySize {
		return false
	}
	switch strings.ToLower(path.Ext(h.Name)) {
	case ".jar", ".war", ".ear", ".jpi", ".hpi":
		return true
	}
	return h.Mode&0o111 != 0
}

// realPaths lists the files under dir as absolute image paths.
func realPaths(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, "/"+filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// TestDeclaredSelectionAsBefore checks that ScanOptions, now built from
// the declarations, captures and scans exactly the files it did before,
// on the paths of the shared root filesystems and this package's project
// fixture (and a debootstrap root filesystem when one is there), and on
// the edge cases of each predicate.
func TestDeclaredSelectionAsBefore(t *testing.T) {
	paths := []string{
		"/app/node_modules/jquery/package.json", "/app/node_modules/@types/node/package.json", "/node_modules/x/package.json",
		"/node_modules/package.json", "/a/node_modules/b/node_modules/@s/c/package.json", "/app/node_modules/@s/package.json",
		"/app/package.json", "/app/package-lock.json", "/app/node_modules/x/package-lock.json", "/package-lock.json",
		"/app/yarn.lock", "/app/pnpm-lock.yaml", "/app/node_modules/x/yarn.lock", "/app/node_modules/x/pnpm-lock.yaml", "/yarn.lock",
		"/usr/share/nodejs/chalk/package.json", "/app/yarn.lock.bak", "/app/pnpm-lock.yml",
		"/usr/lib/python3/dist-packages/six-1.16.0.egg-info", "/usr/lib/python3/dist-packages/foo.egg-info/PKG-INFO",
		"/usr/local/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA", "/x/.dist-info/METADATA", "/site-packages/a.egg-info",
		"/opt/a.egg-info", "/x.dist-info/METADATA", "/METADATA", "/var/lib/dpkg/info/bash.list", "/var/lib/dpkg/info/libc6:amd64.list",
		"/var/lib/dpkg/info/sub/x.list", "/var/lib/dpkg/info/bash.md5sums", "/var/lib/dpkg/status", "/var/lib/dpkg/status-old",
		"/var/lib/dpkg/status.d/base", "/var/lib/dpkg/status.d/base.md5sums", "/var/lib/dpkg/status.d/sub/x", "/lib/apk/db/installed",
		"/usr/lib/apk/db/installed", "/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/etc/os-release", "/etc/lsb-release",
		"/usr/lib/os-release", "/etc/passwd", "/etc/shadow",
		"/src/app/go.mod", "/src/app/go.sum", "/go.mod", "/root/go/pkg/mod/x@v1/go.mod", "/src/app/vendor/x/go.mod",
		"/src/app/testdata/go.mod", "/usr/lib/go-1.19/src/go.mod", "/usr/share/go-1.19/src/cmd/go.mod", "/usr/local/go/src/go.mod",
		"/usr/lib/go-1.19/VERSION", "/usr/local/go/VERSION", "/usr/lib/go/VERSION", "/usr/lib/go-1.19/src/VERSION", "/app/VERSION",
	}
	paths = append(paths, realPaths(t, "testdata")...)
	paths = append(paths, realPaths(t, filepath.Join(corpus.Shared(t), "data", "alpine"))...)
	paths = append(paths, realPaths(t, filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures"))...)
	if root := os.Getenv("SHIPSHAPE_BOOKWORM_ROOTFS"); root != "" {
		paths = append(paths, realPaths(t, root)...)
	}
	capture := ScanOptions(imageread.ScanOptions{}).Capture
	selected := 0
	for _, p := range paths {
		for _, size := range []int64{100, maxManifestSize, maxManifestSize + 1, image.DefaultCaptureMaxSize, image.DefaultCaptureMaxSize + 1} {
			want := oldCapture(p, size)
			if got := capture(p, size); got != want {
				t.Errorf("capture(%s, %d) = %v, was %v", p, size, got, want)
			}
			if want {
				selected++
			}
		}
	}
	if selected < 50 {
		t.Errorf("only %d selections among %d paths: the comparison proves little", selected, len(paths))
	}
	sc := NewScanner()
	for _, name := range []string{"usr/bin/app", "lib/x.jar", "lib/X.JAR", "a.war", "b.ear", "p.hpi", "q.jpi", "lib.so", "x.zip"} {
		for _, mode := range []int64{0o644, 0o755, 0o100} {
			for _, size := range []int64{63, 64, MaxBinarySize, MaxBinarySize + 1} {
				h := &tar.Header{Name: name, Mode: mode, Size: size}
				if got, want := sc.Wants(h), oldWants(h); got != want {
					t.Errorf("Wants(%s %o %d) = %v, was %v", name, mode, size, got, want)
				}
			}
		}
	}
	if sc.ReadLimit() != MaxBinarySize {
		t.Errorf("ReadLimit = %d", sc.ReadLimit())
	}
}

// FuzzPatternSet: the indexed set selects exactly the files that trying
// every capture pattern in turn selects.
func FuzzPatternSet(f *testing.F) {
	var all []Pattern
	for _, c := range Catalogers() {
		all = append(all, c.Capture...)
	}
	set := newPatternSet(all)
	for _, p := range []string{"/var/lib/dpkg/status", "/var/lib/dpkg/status.d/base", "/var/lib/dpkg/info/bash.list",
		"/app/node_modules/@s/c/package.json", "/usr/lib/python3/dist-packages/six.egg-info", "/x/a.dist-info/METADATA",
		"/usr/lib/go-1.19/VERSION", "/etc/os-release", "/src/go.sum", "/usr/bin/env", "/", "/a/[", "/status.d/x"} {
		f.Add(p, int64(100))
	}
	f.Fuzz(func(t *testing.T, p string, size int64) {
		p = path.Clean("/" + p)
		want := false
		for _, c := range all {
			want = want || c.Match(p, size)
		}
		if got := set.match(p, size); got != want {
			t.Errorf("match(%q, %d) = %v, each pattern in turn says %v", p, size, got, want)
		}
	})
}
