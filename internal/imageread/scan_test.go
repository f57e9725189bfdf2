package imageread

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

const pemKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"

// fixture is the image most tests read: a base layer, then a layer that
// deletes a key, hides a directory's content and overwrites a file. The
// base layer is stored gzip-compressed or, without gzipFirst, as plain tar.
func fixture(t testing.TB, gzipFirst bool) v1.Image {
	return imagetest.Build(t, imagetest.Image{
		Config: imagetest.Config{
			Env:          []string{"PATH=/usr/bin", "API_TOKEN=abc"},
			Labels:       map[string]string{"maintainer": "x"},
			ExposedPorts: []string{"22/tcp", "8080/tcp"},
			Cmd:          []string{"/bin/sh"},
			Healthcheck:  []string{"CMD", "true"},
		},
		Layers: []imagetest.Layer{
			{CreatedBy: "ENV PLACEHOLDER=1", EmptyLayer: true},
			{CreatedBy: "ADD rootfs.tar /", Uncompressed: !gzipFirst, Entries: []imagetest.Entry{
				imagetest.Dir("etc/"),
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
				imagetest.Dir("usr/"), imagetest.Dir("usr/bin/"),
				imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755),
				imagetest.File("usr/bin/wall", "ELF").WithMode(0o2755),
				imagetest.Symlink("bin", "usr/bin"),
				imagetest.File("usr/bin/sh", "ELF"),
				imagetest.Dir("app/"),
				imagetest.File("app/id_rsa", pemKey),
				imagetest.Dir("opt/"), imagetest.Dir("opt/dir/"),
				imagetest.File("opt/dir/a", "a"), imagetest.File("opt/dir/b", "b"),
				imagetest.File("data/big", strings.Repeat("x", 1000)),
			}},
			{CreatedBy: "RUN rm /app/id_rsa && touch /opt/dir/c", Uncompressed: true, Entries: []imagetest.Entry{
				imagetest.Whiteout("app/id_rsa"),
				imagetest.File("opt/dir/c", "c"),
				imagetest.Opaque("opt/dir"),
				imagetest.File("data/big", "small"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"),
			}},
		},
	})
}

func checkFixture(t *testing.T, img *image.Image) {
	t.Helper()
	if len(img.Layers) != 2 {
		t.Fatalf("layers = %d, want 2", len(img.Layers))
	}
	if got := img.Layers[1].CreatedBy; !strings.HasPrefix(got, "RUN rm /app/id_rsa") {
		t.Errorf("layer 1 CreatedBy = %q", got)
	}
	if len(img.History) != 3 || img.History[0].Layer != -1 || img.History[1].Layer != 0 || img.History[2].Layer != 1 {
		t.Errorf("history = %+v", img.History)
	}
	for i, l := range img.Layers {
		if !strings.HasPrefix(l.Digest, "sha256:") || !strings.HasPrefix(l.DiffID, "sha256:") || l.Size == 0 || l.Files == 0 {
			t.Errorf("layer %d = %+v", i, l)
		}
	}
	c := img.Config
	if c.User != "" || len(c.Env) != 2 || c.Labels["maintainer"] != "x" || strings.Join(c.ExposedPorts, ",") != "22/tcp,8080/tcp" ||
		c.Healthcheck == nil || c.Cmd[0] != "/bin/sh" || c.OS != "linux" || c.Architecture != "amd64" || c.Created.Year() != 2024 {
		t.Errorf("config = %+v", c)
	}
	// The key deleted by layer 1 is still found, in layer 0.
	if len(img.Secrets) != 1 {
		t.Fatalf("secrets = %+v", img.Secrets)
	}
	if s := img.Secrets[0]; s.Path != "/app/id_rsa" || s.Layer != 0 || !s.Deleted || s.Line != 1 {
		t.Errorf("secret = %+v", s)
	}
	if _, ok := img.File("/app/id_rsa"); ok {
		t.Error("/app/id_rsa survived its whiteout")
	}
	if _, ok := img.File("/app"); !ok {
		t.Error("/app lost with its file")
	}
	// Opaque directory: a and b hidden, c (same layer as the marker) kept.
	for p, want := range map[string]bool{"/opt/dir/a": false, "/opt/dir/b": false, "/opt/dir/c": true, "/opt/dir": true} {
		if _, ok := img.File(p); ok != want {
			t.Errorf("%s present = %v, want %v", p, ok, want)
		}
	}
	if f, _ := img.File("/data/big"); f == nil || f.Size != 5 || f.Layer != 1 {
		t.Errorf("/data/big = %+v", f)
	}
	// Setuid and setgid bits survive.
	if f, _ := img.File("/usr/bin/passwd"); f == nil || f.Mode&fs.ModeSetuid == 0 || f.Mode.Perm() != 0o755 || f.Layer != 0 {
		t.Errorf("/usr/bin/passwd = %+v", f)
	}
	if f, _ := img.File("/usr/bin/wall"); f == nil || f.Mode&fs.ModeSetgid == 0 {
		t.Errorf("/usr/bin/wall = %+v", f)
	}
	// Shadowed copies are exactly the reclaimable ones.
	shadowed := map[string]bool{}
	var reclaim int64
	for _, e := range img.Entries() {
		if e.Shadowed {
			shadowed[e.Path] = true
			reclaim += e.Size
			if e.Layer != 0 {
				t.Errorf("entry shadowed in the top layer: %+v", e)
			}
		}
	}
	for _, p := range []string{"/app/id_rsa", "/opt/dir/a", "/opt/dir/b", "/data/big", "/etc/passwd"} {
		if !shadowed[p] {
			t.Errorf("%s not shadowed", p)
		}
	}
	if shadowed["/usr/bin/passwd"] || shadowed["/opt/dir"] {
		t.Errorf("surviving entries shadowed: %v", shadowed)
	}
	if want := int64(len(pemKey) + 2 + 1000 + len("root:x:0:0:root:/root:/bin/bash\n")); reclaim != want {
		t.Errorf("reclaimable = %d, want %d", reclaim, want)
	}
	// Captured files are the surviving copies.
	if got := string(img.Captured["/etc/passwd"]); !strings.Contains(got, "app:x:1000") {
		t.Errorf("captured passwd = %q", got)
	}
	if d, from, ok := img.OSRelease(); !ok || from != "/etc/os-release" || !strings.Contains(string(d), "ID=debian") {
		t.Errorf("os-release = %q from %q", d, from)
	}
	if f, err := img.Resolve("/bin/sh"); err != nil || f.Path != "/usr/bin/sh" {
		t.Errorf("resolve /bin/sh = %+v, %v", f, err)
	}
}

var fixtureOpts = ScanOptions{Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture}

func TestScanFormats(t *testing.T) {
	img := fixture(t, true)
	oci := imagetest.OCILayout(t, img)
	archive := imagetest.DockerArchive(t, img, "")
	for name, ref := range map[string]string{
		"docker-archive":          "docker-archive:" + archive,
		"docker-archive sniffed":  archive,
		"docker-archive gzip":     gzipFile(t, archive),
		"oci dir":                 "oci:" + oci,
		"oci dir sniffed":         oci,
		"oci tar":                 "oci:" + tarDir(t, oci),
		"oci tar sniffed":         tarDir(t, oci),
		"docker-archive raw base": imagetest.DockerArchive(t, fixture(t, false), ""),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := scanRef(t, ref, fixtureOpts)
			if err != nil {
				t.Fatal(err)
			}
			checkFixture(t, got)
			if strings.HasPrefix(name, "oci") && (got.Source != "oci" || !strings.HasPrefix(got.Digest, "sha256:")) {
				t.Errorf("source %q digest %q", got.Source, got.Digest)
			}
			if strings.HasPrefix(name, "docker-archive") && got.Source != "docker-archive" {
				t.Errorf("source %q", got.Source)
			}
		})
	}
	t.Run("v1", func(t *testing.T) {
		got, err := Scan(context.Background(), FromV1("mem", "test", img), ScanOptions{Scanners: fixtureOpts.Scanners, Capture: image.DefaultCapture, NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		checkFixture(t, got)
	})
}

func TestScanDir(t *testing.T) {
	root := imagetest.TreeOf(t,
		imagetest.File("usr/bin/su", "ELF").WithMode(0o4755),
		imagetest.File("etc/key.pem", pemKey).WithMode(0o600),
		imagetest.File("usr/lib-os-release", "ID=alpine\n"),
		imagetest.Symlink("bin", "usr/bin"),
	)
	for _, ref := range []string{"dir:" + root, root} {
		img, err := scanRef(t, ref, fixtureOpts)
		if err != nil {
			t.Fatal(err)
		}
		if img.Source != "dir" || len(img.Layers) != 1 {
			t.Errorf("source %q layers %d", img.Source, len(img.Layers))
		}
		if f, err := img.Resolve("/bin/su"); err != nil || f.Mode&fs.ModeSetuid == 0 {
			t.Errorf("/bin/su = %+v, %v", f, err)
		}
		if len(img.Secrets) != 1 || img.Secrets[0].Path != "/etc/key.pem" || img.Secrets[0].Deleted {
			t.Errorf("secrets = %+v", img.Secrets)
		}
	}
}

func TestResolveAndOSRelease(t *testing.T) {
	img := oneLayer(t, false,
		imagetest.Symlink("a", "b"), imagetest.Symlink("b", "/./a"),
		imagetest.Symlink("self", "self"),
		imagetest.Dir("usr/"), imagetest.Dir("usr/lib/"),
		imagetest.File("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
		imagetest.Dir("etc/"),
		imagetest.Symlink("etc/os-release", "../nowhere/os-release"),
		imagetest.Symlink("escape", "../../../../usr/lib/os-release"),
	)
	got, err := Scan(context.Background(), FromV1("mem", "test", img), ScanOptions{Capture: image.DefaultCapture, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/a", "/self", "/a/x"} {
		if _, err := got.Resolve(p); !errors.Is(err, image.ErrSymlinkLoop) {
			t.Errorf("resolve %s: %v, want a loop", p, err)
		}
	}
	if _, err := got.Resolve("/etc/os-release"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling link: %v", err)
	}
	if f, err := got.Resolve("/escape"); err != nil || f.Path != "/usr/lib/os-release" {
		t.Errorf("escape = %+v, %v (.. must stop at the root)", f, err)
	}
	d, from, ok := got.OSRelease()
	if !ok || from != "/usr/lib/os-release" || !strings.Contains(string(d), "ID=debian") {
		t.Errorf("os-release = %q from %q %v", d, from, ok)
	}
}

func TestHostilePaths(t *testing.T) {
	img := oneLayer(t, true,
		imagetest.File("../../../etc/evil", "x"),
		imagetest.File("/abs/file", "y"),
		imagetest.File("./dot/file", "z"),
		imagetest.File("a/../../b", "w"),
		imagetest.File(".wh...", ""),
		imagetest.File("etc/.wh..wh.plnk", ""),
	)
	got, err := Scan(context.Background(), FromV1("mem", "test", img), ScanOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/etc/evil", "/abs/file", "/dot/file", "/b"} {
		if _, ok := got.File(p); !ok {
			t.Errorf("%s missing; files: %v", p, keys(got))
		}
	}
	for f := range got.Files() {
		p := f.Path
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "..") || strings.Contains(p, ".wh.") {
			t.Errorf("unconfined path %q", p)
		}
	}
}

// oneLayer is an image of one layer of entries, stored as plain tar when
// uncompressed is set.
func oneLayer(t testing.TB, uncompressed bool, entries ...imagetest.Entry) v1.Image {
	return imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{{CreatedBy: "ADD x /", Uncompressed: uncompressed, Entries: entries}}})
}

// diffID returns the DiffID of layer i of img.
func diffID(t testing.TB, img v1.Image, i int) v1.Hash {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	h, err := ls[i].DiffID()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func keys(im *image.Image) []string {
	var out []string
	for f := range im.Files() {
		out = append(out, f.Path)
	}
	return out
}

func TestTruncatedAndCorruptLayers(t *testing.T) {
	good := imagetest.Tar(t, imagetest.File("a", strings.Repeat("a", 5000)), imagetest.File("b", "b"))
	cases := map[string]*testLayer{
		"truncated gzip": {blob: gz(t, good)[:60], tar: good, mt: types.DockerLayer},
		"corrupt gzip":   {blob: append(gz(t, good)[:40], make([]byte, 100)...), tar: good, mt: types.DockerLayer},
		"truncated tar":  {blob: good[:1200], tar: good, mt: types.OCIUncompressedLayer},
		"corrupt tar":    {blob: append([]byte("this is not a tar header at all"), make([]byte, 1000)...), tar: good, mt: types.OCIUncompressedLayer},
	}
	for name, layer := range cases {
		t.Run(name, func(t *testing.T) {
			dig, _ := layer.Digest()
			img := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{
				{CreatedBy: "ADD a /", Entries: []imagetest.Entry{imagetest.File("ok", "ok")}},
				{CreatedBy: "ADD b /", V1: layer},
			}})
			for _, ref := range []string{"docker-archive:" + imagetest.DockerArchive(t, img, ""), "oci:" + imagetest.OCILayout(t, img)} {
				_, err := scanRef(t, ref, ScanOptions{})
				if err == nil {
					t.Fatalf("%s: no error", ref)
				}
				diff, _ := layer.DiffID()
				if !strings.Contains(err.Error(), "layer 1") || !(strings.Contains(err.Error(), dig.String()) || strings.Contains(err.Error(), diff.String())) {
					t.Errorf("error does not name the layer: %v", err)
				}
				if strings.HasPrefix(name, "truncated") && !strings.Contains(err.Error(), "truncated") {
					t.Errorf("error does not say truncated: %v", err)
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	img := oneLayer(t, true, imagetest.File("a", "1"), imagetest.File("b", "2"), imagetest.File("c", strings.Repeat("x", 4096)))
	src := FromV1("mem", "test", img)
	if _, err := Scan(context.Background(), src, ScanOptions{NoCache: true, MaxEntries: 2}); !errors.Is(err, ErrLimit) {
		t.Errorf("entries cap: %v", err)
	}
	if _, err := Scan(context.Background(), src, ScanOptions{NoCache: true, MaxLayerSize: 2048}); !errors.Is(err, ErrLimit) {
		t.Errorf("size cap: %v", err)
	}
	got, err := Scan(context.Background(), src, ScanOptions{NoCache: true, MaxCaptureSize: 10, Capture: func(string, int64) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Captured["/c"]; ok || len(got.Captured) != 2 || len(got.Warnings) != 1 {
		t.Errorf("captured %d, warnings %v", len(got.Captured), got.Warnings)
	}
}

func TestCacheSkipsKnownLayers(t *testing.T) {
	base := imagetest.Layer{CreatedBy: "ADD base /", Entries: []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=debian\n"), imagetest.File("root/.ssh/id_rsa", pemKey), imagetest.File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
	}}
	a := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{base,
		{CreatedBy: "COPY a /app/", Uncompressed: true, Entries: []imagetest.Entry{imagetest.File("app/a", "a")}}}})
	b := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{base,
		{CreatedBy: "COPY b /app/", Uncompressed: true, Entries: []imagetest.Entry{imagetest.File("app/b", "b"), imagetest.Whiteout("root/.ssh/id_rsa")}}}})
	cacheDir := t.TempDir()
	opens := map[string]*atomic.Int64{}
	opts := ScanOptions{CacheDir: cacheDir, CacheKey: "test-v1", Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture}
	scanWith := func(img v1.Image, o ScanOptions) *image.Image {
		t.Helper()
		got, err := Scan(context.Background(), &countingSource{Source: FromV1("mem", "test", img), opens: opens}, o)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := scanWith(a, opts)
	second := scanWith(b, opts)
	baseID := diffID(t, a, 0)
	if n := opens[baseID.String()].Load(); n != 1 {
		t.Errorf("base layer read %d times, want 1", n)
	}
	// The cached layer gives the same facts as the read one.
	if len(second.Secrets) != 1 || !second.Secrets[0].Deleted || first.Secrets[0].Deleted {
		t.Errorf("secrets: first %+v second %+v", first.Secrets, second.Secrets)
	}
	if string(second.Captured["/etc/os-release"]) != "ID=debian\n" {
		t.Errorf("captured from cache: %q", second.Captured["/etc/os-release"])
	}
	// Another CacheKey (new rules) and NoCache read it again.
	o2 := opts
	o2.CacheKey = "test-v2"
	scanWith(b, o2)
	o3 := opts
	o3.NoCache = true
	scanWith(b, o3)
	if n := opens[baseID.String()].Load(); n != 3 {
		t.Errorf("base layer read %d times, want 3", n)
	}
	entries, _ := os.ReadDir(cacheDir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestNotAnImage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sbom.json")
	os.WriteFile(p, []byte(`{"bomFormat":"CycloneDX"}`), 0o644)
	for _, ref := range []string{"sbom:x.json", p} {
		if _, err := Open(context.Background(), ref, OpenOptions{NoDaemon: true}); !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: %v", ref, err)
		}
	}
	if _, err := Open(context.Background(), "./missing.tar", OpenOptions{NoDaemon: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing path: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(junk, []byte("hello"), 0o644)
	if _, err := Open(context.Background(), junk, OpenOptions{NoDaemon: true}); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Errorf("junk: %v", err)
	}
}
