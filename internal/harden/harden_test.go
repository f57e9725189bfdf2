package harden_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/harden"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

const (
	passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	group  = "root:x:0:\nnogroup:x:65534:\n"
)

// insecureImage is a small Debian-like image with everything harden
// targets: setuid and setgid files (one allowed, one hard-linked), an apt
// list next to the dpkg database, a file a later layer deletes and one it
// overwrites, a shell, no user. Its last layer changes nothing harden
// touches, so it must keep its DiffID.
func insecureImage(entrypoint []string, accounts string) imagetest.Image {
	return imagetest.Image{
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				imagetest.Dir("etc"), imagetest.Dir("usr/bin"), imagetest.Dir("bin"), imagetest.Dir("tmp"),
				imagetest.Dir("var/lib/apt/lists/partial"), imagetest.Dir("var/lib/dpkg"),
				imagetest.File("etc/passwd", accounts), imagetest.File("etc/group", group),
				imagetest.File("etc/motd", strings.Repeat("old motd\n", 400)),
				imagetest.File("usr/bin/passwd", "passwd binary").WithMode(0o4755),
				imagetest.File("usr/bin/newgrp", "newgrp binary").WithMode(0o4755),
				imagetest.File("usr/bin/wall", "wall binary").WithMode(0o2755),
				imagetest.File("usr/bin/su", "su binary").WithMode(0o4755),
				imagetest.Hardlink("usr/bin/su2", "usr/bin/su").WithMode(0o4755),
				imagetest.File("bin/dash", "dash binary").WithMode(0o755),
				imagetest.Symlink("bin/sh", "dash"),
				imagetest.File("var/lib/dpkg/status", "Package: dash\nStatus: install ok installed\nVersion: 0.5.12-2\nArchitecture: amd64\n\n"),
				imagetest.File("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", strings.Repeat("Package: x\n", 1000)),
				imagetest.File("tmp/build.tar", strings.Repeat("x", 20000)),
			}},
			{CreatedBy: "RUN rm /tmp/build.tar && echo new > /etc/motd", Entries: []imagetest.Entry{
				imagetest.Whiteout("tmp/build.tar"), imagetest.File("etc/motd", "new\n"),
			}},
			{CreatedBy: "COPY app /usr/bin/app", Entries: []imagetest.Entry{
				imagetest.File("usr/bin/app", "#!app\n").WithMode(0o755),
			}},
		},
		Config: imagetest.Config{Entrypoint: entrypoint},
	}
}

func rules(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// start writes im as a docker archive and plans it.
func start(t *testing.T, im imagetest.Image, opts harden.Options) *harden.Session {
	t.Helper()
	ref := imagetest.DockerArchive(t, imagetest.Build(t, im), "insecure:1")
	s, err := harden.Start(context.Background(), harden.RunOptions{Ref: ref, NoCache: true, Plan: opts, Rules: rules(t), Config: config.Default(), Version: "test", TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rescan reads img back through an archive, as docker load would get it.
func rescan(t *testing.T, img v1.Image) (*image.Image, v1.Image) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.tar")
	if err := harden.WriteDockerArchive(p, "hardened:1", img); err != nil {
		t.Fatal(err)
	}
	src, err := imageread.Open(context.Background(), p, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opts := imageread.ScanOptions{Capture: func(p string, _ int64) bool {
		return strings.HasPrefix(p, "/etc/") || p == harden.SBOMPath || p == "/var/lib/dpkg/status"
	}, NoCache: true}
	got, err := imageread.Scan(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	return got, img
}

func changes(p *harden.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, string(c.Kind)+" "+c.Path)
	}
	return out
}

func TestPlanAndBuildSyntheticImage(t *testing.T) {
	s := start(t, insecureImage([]string{"/usr/bin/app"}, passwd), harden.Options{Allow: []string{"/usr/bin/newgrp"}})
	want := []string{
		"strip-setuid /usr/bin/passwd", "strip-setuid /usr/bin/su", "strip-setuid /usr/bin/su2", "strip-setuid /usr/bin/wall",
		"remove-cache /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
		"drop-shadowed /etc/motd", "drop-shadowed /tmp/build.tar",
		"set-user ",
	}
	if got := changes(s.Plan); !slices.Equal(got, want) {
		t.Fatalf("plan:\n got %q\nwant %q", got, want)
	}
	if s.Plan.User != "65534:65534" {
		t.Errorf("user %q, want nobody's 65534:65534", s.Plan.User)
	}
	if want := int64(20000 + 400*9 + 11000); s.Plan.Bytes() != want {
		t.Errorf("plan removes %d bytes, want %d", s.Plan.Bytes(), want)
	}
	if !slices.ContainsFunc(s.Plan.Notes, func(n string) bool { return strings.Contains(n, "/usr/bin/newgrp") }) {
		t.Errorf("no note for the allowed setuid file: %q", s.Plan.Notes)
	}
	if !s.Plan.LayerChanged(0) || s.Plan.LayerChanged(2) {
		t.Errorf("layers changed: 0=%v 2=%v; want layer 0 rewritten and layer 2 untouched", s.Plan.LayerChanged(0), s.Plan.LayerChanged(2))
	}

	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Dropped != 3 || b.Chmodded != 4 {
		t.Errorf("dropped %d entries, chmodded %d; want 3 (list, old motd, build.tar) and 4 (passwd, su, su2, wall)", b.Dropped, b.Chmodded)
	}
	got, img := rescan(t, b.Image)
	for p, want := range map[string]fs.FileMode{"/usr/bin/passwd": 0o755, "/usr/bin/su": 0o755, "/usr/bin/su2": 0o755, "/usr/bin/wall": 0o755, "/usr/bin/newgrp": 0o755 | fs.ModeSetuid} {
		f, _ := got.File(p)
		if f == nil || f.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid) != want {
			t.Errorf("%s: %v, want mode %v", p, f, want)
		}
	}
	for _, p := range []string{"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "/tmp/build.tar"} {
		if _, ok := got.File(p); ok {
			t.Errorf("%s is still in the hardened image", p)
		}
	}
	for _, p := range []string{"/var/lib/apt/lists/partial", "/var/lib/dpkg/status", "/bin/sh", "/usr/bin/app", harden.SBOMPath} {
		if _, ok := got.File(p); !ok {
			t.Errorf("%s is missing from the hardened image", p)
		}
	}
	if motd, _ := got.File("/etc/motd"); motd == nil || motd.Size != 4 {
		t.Errorf("/etc/motd: %+v, want the later layer's 4 bytes", motd)
	}
	for _, e := range got.Entries() {
		if e.Shadowed && !e.Mode.IsDir() {
			t.Errorf("shadowed entry left: %s (layer %d)", e.Path, e.Layer)
		}
	}
	if got.Config.User != "65534:65534" {
		t.Errorf("user %q", got.Config.User)
	}
	for k, v := range map[string]string{harden.LabelHardened: "true", harden.LabelVersion: "test", harden.LabelSBOM: harden.SBOMPath,
		harden.LabelActions: "strip-setuid=4,remove-cache=1,drop-shadowed=2,set-user=65534:65534"} {
		if got.Config.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, got.Config.Labels[k], v)
		}
	}
	if doc := got.Captured[harden.SBOMPath]; !strings.Contains(string(doc), `"bomFormat": "CycloneDX"`) || !strings.Contains(string(doc), "pkg:deb/debian/dash") && !strings.Contains(string(doc), `"name": "dash"`) {
		t.Errorf("SBOM at %s does not list dash:\n%.400s", harden.SBOMPath, doc)
	}
	if len(got.Layers) != 4 {
		t.Fatalf("%d layers, want the 3 rewritten one for one and the SBOM layer", len(got.Layers))
	}
	orig := s.Before.Layers
	if got.Layers[2].DiffID != orig[2].DiffID || got.Layers[0].DiffID == orig[0].DiffID {
		t.Errorf("DiffIDs: layer 0 %s -> %s (must change), layer 2 %s -> %s (must stay)", orig[0].DiffID, got.Layers[0].DiffID, orig[2].DiffID, got.Layers[2].DiffID)
	}
	cf, _ := img.ConfigFile()
	if n := len(cf.History); n != 4 || !strings.HasPrefix(cf.History[3].CreatedBy, "shipshape harden test: ") {
		t.Errorf("history: %d entries, last %+v", n, cf.History[n-1])
	}

	v, err := s.Verify(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("verification failed: remaining %v, new %v", v.Remaining, v.New)
	}
	fixed := map[string]int{}
	for _, f := range v.Fixed {
		fixed[f.RuleID]++
	}
	if fixed["IM1200"] != 4 || fixed["IM1300"] != 1 || fixed["IM1301"] != 1 || fixed["IM1000"] != 1 {
		t.Errorf("fixed by rule: %v; want IM1200 x4, IM1300, IM1301, IM1000", fixed)
	}
	if len(v.After) >= len(v.Before) {
		t.Errorf("findings before %d, after %d", len(v.Before), len(v.After))
	}
}

func TestHardenedImageHasNothingLeftToDo(t *testing.T) {
	s := start(t, insecureImage([]string{"/usr/bin/app"}, passwd), harden.Options{})
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := filepath.Join(t.TempDir(), "hardened.tar")
	if err := harden.WriteDockerArchive(p, "hardened:1", b.Image); err != nil {
		t.Fatal(err)
	}
	again, err := harden.Start(context.Background(), harden.RunOptions{Ref: p, NoCache: true, Rules: rules(t), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if !again.Plan.Empty() {
		t.Errorf("second plan is not empty: %q", changes(again.Plan))
	}
}

func TestAddUserRewritesAccountFilesInPlace(t *testing.T) {
	rootOnly := "root:x:0:0:root:/root:/bin/bash\n"
	s := start(t, insecureImage([]string{"/usr/bin/app"}, rootOnly), harden.Options{User: "app"})
	if s.Plan.User != "10001:10001" {
		t.Fatalf("user %q, want a new 10001:10001", s.Plan.User)
	}
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := rescan(t, b.Image)
	if pw := string(got.Captured["/etc/passwd"]); pw != rootOnly+"app:x:10001:10001::/nonexistent:/usr/sbin/nologin\n" {
		t.Errorf("/etc/passwd:\n%s", pw)
	}
	if gr := string(got.Captured["/etc/group"]); !strings.HasSuffix(gr, "\napp:x:10001:\n") {
		t.Errorf("/etc/group:\n%s", gr)
	}
	if f, _ := got.File("/etc/passwd"); f == nil || f.Layer != 0 {
		t.Errorf("/etc/passwd should be rewritten in layer 0, where it was: %+v", f)
	}
	v, err := s.Verify(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Errorf("verification: remaining %v, new %v", v.Remaining, v.New)
	}

	// Without --user and without an unprivileged account, root stays.
	s = start(t, insecureImage([]string{"/usr/bin/app"}, rootOnly), harden.Options{})
	if s.Plan.User != "" || !slices.ContainsFunc(s.Plan.Notes, func(n string) bool { return strings.Contains(n, "keeps running as root") }) {
		t.Errorf("user %q, notes %q", s.Plan.User, s.Plan.Notes)
	}
}

func TestRemoveShells(t *testing.T) {
	s := start(t, insecureImage([]string{"/usr/bin/app"}, passwd), harden.Options{RemoveShells: true})
	var removed []string
	for _, c := range s.Plan.Changes {
		if c.Kind == harden.RemoveShell || c.Kind == harden.RemovePackageManager {
			removed = append(removed, c.Path)
		}
	}
	if !slices.Equal(removed, []string{"/bin/dash", "/bin/sh"}) {
		t.Errorf("removed %q, want dash and the sh link to it", removed)
	}
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := rescan(t, b.Image)
	if _, ok := got.File("/bin/dash"); ok {
		t.Error("/bin/dash still there")
	}
	if _, ok := got.Captured["/var/lib/dpkg/status"]; !ok {
		t.Error("the dpkg database went with the shell")
	}

	ref := imagetest.DockerArchive(t, imagetest.Build(t, insecureImage([]string{"/bin/sh", "-c", "exec app"}, passwd)), "x:1")
	_, err = harden.Start(context.Background(), harden.RunOptions{Ref: ref, NoCache: true, Plan: harden.Options{RemoveShells: true}, Rules: rules(t)})
	if !errors.Is(err, harden.ErrRefused) || !strings.Contains(err.Error(), "runs through a shell") {
		t.Errorf("shell entrypoint: %v, want a refusal", err)
	}
}

func TestCompareFlagsNewAndRemaining(t *testing.T) {
	at := func(id, p string) rule.Finding {
		return rule.Finding{RuleID: id, Location: rule.Location{Image: &rule.ImageLocation{Path: p}}}
	}
	plan := &harden.Plan{Changes: []harden.Change{{Kind: harden.StripSetuid, Path: "/usr/bin/su"}}}
	before := []rule.Finding{at("IM1200", "/usr/bin/su"), at("IM1202", "/bin/sh")}
	v := harden.Compare(plan, before, []rule.Finding{at("IM1200", "/usr/bin/su"), at("IM1202", "/bin/sh"), at("IM1201", "/tmp")})
	if v.OK() || len(v.Remaining) != 1 || len(v.New) != 1 || v.New[0].RuleID != "IM1201" {
		t.Errorf("remaining %v, new %v", v.Remaining, v.New)
	}
	v = harden.Compare(plan, before, []rule.Finding{at("IM1202", "/bin/sh")})
	if !v.OK() || len(v.Fixed) != 1 {
		t.Errorf("fixed %v remaining %v new %v", v.Fixed, v.Remaining, v.New)
	}
}

func TestWriteOCILayoutRefusesForeignDirectory(t *testing.T) {
	img := imagetest.Build(t, insecureImage([]string{"/usr/bin/app"}, passwd))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := harden.WriteOCILayout(dir, "x:1", img); err == nil {
		t.Fatal("wrote over a directory that is not an OCI layout")
	}
	out := filepath.Join(t.TempDir(), "oci")
	for range 2 { // the second write replaces the first layout
		if err := harden.WriteOCILayout(out, "x:1", img); err != nil {
			t.Fatal(err)
		}
	}
	src, err := imageread.Open(context.Background(), "oci:"+out, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
}

// TestConfigAllowKeepsSetuid reads IM1200's allow setting from the
// configuration as --allow.
func TestConfigAllowKeepsSetuid(t *testing.T) {
	reg := rules(t)
	cfgPath := filepath.Join(t.TempDir(), ".shipshape.yaml")
	if err := os.WriteFile(cfgPath, []byte("version: 1\nrules:\n  IM1200:\n    allow: [/usr/bin/passwd]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, reg)
	if err != nil {
		t.Fatal(err)
	}
	ref := imagetest.DockerArchive(t, imagetest.Build(t, insecureImage([]string{"/usr/bin/app"}, passwd)), "x:1")
	s, err := harden.Start(context.Background(), harden.RunOptions{Ref: ref, NoCache: true, Rules: reg, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range s.Plan.Changes {
		if c.Path == "/usr/bin/passwd" {
			t.Errorf("the configuration allows /usr/bin/passwd, yet the plan has %s for it", c.Kind)
		}
	}
	if !slices.Contains(changes(s.Plan), "strip-setuid /usr/bin/su") {
		t.Errorf("plan: %q", changes(s.Plan))
	}
}

// TestHardLinkKeepsItsTarget deletes a file in a later layer that a kept
// hard link of its own layer points at: the target must stay (a tar hard
// link names an earlier entry), and the plan says why.
func TestHardLinkKeepsItsTarget(t *testing.T) {
	im := imagetest.Image{
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD /", Entries: []imagetest.Entry{
				imagetest.Dir("etc"), imagetest.Dir("opt"),
				imagetest.File("etc/passwd", passwd),
				imagetest.File("opt/a", strings.Repeat("a", 5000)),
				imagetest.Hardlink("opt/b", "opt/a"),
				imagetest.File("opt/c", strings.Repeat("c", 7000)),
			}},
			{CreatedBy: "RUN rm /opt/a /opt/c", Entries: []imagetest.Entry{imagetest.Whiteout("opt/a"), imagetest.Whiteout("opt/c")}},
		},
		Config: imagetest.Config{Entrypoint: []string{"/opt/b"}, User: "65534"},
	}
	s := start(t, im, harden.Options{})
	if got := changes(s.Plan); !slices.Equal(got, []string{"drop-shadowed /opt/c"}) {
		t.Errorf("plan %q, want only /opt/c dropped", got)
	}
	if !slices.ContainsFunc(s.Plan.Notes, func(n string) bool { return strings.Contains(n, "/opt/b is a hard link") }) {
		t.Errorf("notes %q", s.Plan.Notes)
	}
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := rescan(t, b.Image)
	if f, _ := got.File("/opt/b"); f == nil {
		t.Error("/opt/b lost")
	}
	for _, e := range got.Entries() {
		if e.Path == "/opt/c" && !e.Whiteout {
			t.Error("/opt/c still in a layer")
		}
	}
}

// TestUserOnScratch creates the account files a scratch image lacks, in
// the added layer, with root's entries.
func TestUserOnScratch(t *testing.T) {
	im := imagetest.Image{
		Layers: []imagetest.Layer{{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{imagetest.File("app", "static binary").WithMode(0o755)}}},
		Config: imagetest.Config{Entrypoint: []string{"/app"}},
	}
	s := start(t, im, harden.Options{User: "app"})
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := rescan(t, b.Image)
	if pw := string(got.Captured["/etc/passwd"]); pw != "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:10001:10001::/nonexistent:/usr/sbin/nologin\n" {
		t.Errorf("/etc/passwd:\n%s", pw)
	}
	if gr := string(got.Captured["/etc/group"]); gr != "root:x:0:\napp:x:10001:\n" {
		t.Errorf("/etc/group:\n%s", gr)
	}
	if _, ok := got.Captured["/etc/shadow"]; ok {
		t.Error("a shadow file appeared")
	}
	if f, _ := got.File("/etc"); f == nil || !f.Mode.IsDir() || f.Layer != 1 {
		t.Errorf("/etc: %+v, want a directory in the added layer", f)
	}
	if got.Config.User != "10001:10001" {
		t.Errorf("user %q", got.Config.User)
	}
	v, err := s.Verify(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Errorf("remaining %v new %v", v.Remaining, v.New)
	}
}
