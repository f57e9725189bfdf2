package engine

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

var imageRulesNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// scanTestImage reads im as the image command would, without a cache.
func scanTestImage(tb testing.TB, im imagetest.Image) *image.Image {
	tb.Helper()
	src := imageread.FromV1("test:latest", "test", imagetest.Build(tb, im))
	img, err := imageread.Scan(context.Background(), src, imageread.ScanOptions{Capture: image.DefaultCapture, NoCache: true})
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// findingsImage has many small files and, among them, something for most
// of the file rules: a setuid binary, a world-writable file, a package
// cache, leftover directories, a shell, a package manager, build tools, a
// file shadowed by a later layer.
func findingsImage(n int) imagetest.Image {
	setuid := imagetest.File("usr/bin/passwd", "ELF")
	setuid.Mode = 0o4755
	writable := imagetest.File("opt/app/shared.cfg", "x=1")
	writable.Mode = 0o666
	big := strings.Repeat("pkg", 40000)
	return imagetest.Image{
		Layers: []imagetest.Layer{
			imagetest.ManyFilesLayer(n, 1),
			{CreatedBy: "RUN apt-get install -y gcc", Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nroot2:x:0:0::/:/bin/sh\n"),
				imagetest.File("bin/bash", "ELF"),
				imagetest.File("usr/bin/apt-get", "ELF"),
				imagetest.File("usr/bin/gcc", "ELF"),
				imagetest.File("var/cache/apt/archives/gcc.deb", big),
				imagetest.File("var/lib/apt/lists/deb.debian.org_dists_bookworm", big),
				imagetest.File("root/.cache/pip/wheel", big),
				imagetest.File("app/.git/config", "[core]"),
				imagetest.File("opt/big.bin", big+big),
				setuid, writable,
			}},
			{CreatedBy: "RUN rm -rf /opt/big.bin", Entries: []imagetest.Entry{
				imagetest.Whiteout("opt/big.bin"),
			}},
		},
		Config: imagetest.Config{Cmd: []string{"/bin/bash"}, Env: []string{"PATH=/usr/bin", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
	}
}

// TestRunRulesConcurrentlyMatchesRunRules runs the image rules both ways
// on an image that many of them report on: the findings must be the same,
// in the same order.
func TestRunRulesConcurrentlyMatchesRunRules(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	reg, err := rule.NewRegistry(imrules.All()...)
	if err != nil {
		t.Fatal(err)
	}
	img := scanTestImage(t, findingsImage(2000))
	cfg := config.Default()
	newPass := func(p *rule.Pass) { p.Input = img }
	want := runRules(context.Background(), reg, cfg, imageRulesNow, "image", nil, newPass)
	ids := map[string]bool{}
	for _, f := range want {
		ids[f.RuleID] = true
	}
	if len(ids) < 8 {
		t.Fatalf("the image drew findings from %d rules, want at least 8 for the comparison to mean something: %v", len(ids), ids)
	}
	t.Logf("%d findings from %d rules", len(want), len(ids))
	for range 5 {
		got := runRulesConcurrently(context.Background(), reg, cfg, imageRulesNow, "image", nil, newPass)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("concurrent rules differ from sequential:\n got %d findings\nwant %d findings", len(got), len(want))
		}
	}

	// A cancelled run stops without running the rules.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := runRulesConcurrently(ctx, reg, cfg, imageRulesNow, "image", nil, newPass); len(got) != 0 {
		t.Errorf("cancelled run returned %d findings, want none", len(got))
	}
}

// BenchmarkImageRules runs every image rule over an image whose final view
// holds 100,000 small files: the rules' part of an image pass, which
// follows the reading of the layers.
//
//	go test -run '^$' -bench ImageRules -benchtime 10x ./internal/engine
func BenchmarkImageRules(b *testing.B) {
	reg, err := rule.NewRegistry(imrules.All()...)
	if err != nil {
		b.Fatal(err)
	}
	img := scanTestImage(b, findingsImage(100_000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ScanImage(context.Background(), img, reg, config.Default(), nil, imageRulesNow)
	}
}
