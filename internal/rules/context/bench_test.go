package context

import (
	stdctx "context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// benchFiles is the size of the generated context.
const benchFiles = 100_000

// genContext writes a context of n files: a source tree, a node_modules
// tree, .log files the ignore file excludes, a few secrets, and an ignore
// file with a `!` pattern so that every excluded file is matched on its own.
func genContext(b *testing.B, dir string, n int) {
	b.Helper()
	body := string(make([]byte, 100))
	files := map[string]string{}
	const perDir = 50
	made := 0
	for d := 0; made < n-4; d++ {
		top := "src"
		if d%3 == 0 {
			top = "node_modules"
		}
		sub := fmt.Sprintf("%s/pkg%03d/mod%02d", top, d/20, d%20)
		for i := 0; i < perDir && made < n-4; i++ {
			name := fmt.Sprintf("f%02d.js", i)
			if i%10 == 0 {
				name = fmt.Sprintf("f%02d.log", i)
			}
			files[sub+"/"+name] = body
			made++
		}
	}
	files["config/prod.key"] = body
	files[".env"] = body
	files["Dockerfile"] = "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"src/index.js\"]\n"
	files[".dockerignore"] = ".git\n**/*.log\n!src/pkg000/**/*.log\n"
	imagetest.TreeAt(b, dir, files)
}

// BenchmarkWalkContext measures loading a 100,000-file context (walk,
// pattern matching, sizes) and then running every build-context rule.
func BenchmarkWalkContext(b *testing.B) {
	dir := b.TempDir()
	genContext(b, dir, benchFiles)
	dfPath := filepath.Join(dir, "Dockerfile")
	src, err := os.ReadFile(dfPath)
	if err != nil {
		b.Fatal(err)
	}
	f, err := dockerfile.Parse(dfPath, src, dockerfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	reg, err := Registry()
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := buildctx.Load(dir, dfPath, f, buildctx.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(benchFiles)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	})
	b.Run("walk+rules", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			c, err := buildctx.Load(dir, dfPath, f, buildctx.Options{})
			if err != nil {
				b.Fatal(err)
			}
			n = len(engine.LintContext(stdctx.Background(), c, reg, cfg, fixtureNow))
		}
		if n == 0 {
			b.Fatal("no findings on a context with secrets")
		}
		b.ReportMetric(float64(benchFiles)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	})
}
