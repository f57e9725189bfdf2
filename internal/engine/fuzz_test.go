package engine_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

var fuzzNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// fuzzSeeds adds every rule fixture and, when the shared folder is present,
// every 20th real-world Dockerfile.
func fuzzSeeds(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("FROM alpine:3.20\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\n"))
	f.Add([]byte("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\n"))
	f.Add([]byte("ARG BASE=alpine\nFROM ${BASE} AS b\nARG BASE\nENV A=1 B=${A}\nFROM b\nCOPY --from=b / /\nRUN --mount=type=cache,target=/root/.cache pip install x\n"))
	root := filepath.Join("..", "rules", "dockerfile", "testdata")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".golden") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	if shared := findShared(); shared != "" {
		for i, cf := range realworldDockerfiles(shared) {
			if i%20 == 0 {
				f.Add(cf.Data)
			}
		}
	}
}

// findShared is sharedDir without skipping: fuzz seeds are optional.
func findShared() string {
	if d := os.Getenv("SHIPSHAPE_SHARED"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(d); err == nil {
				return d
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

// FuzzLint parses arbitrary input and runs every rule over it. The engine
// must not panic, no rule may crash (a recovered panic becomes a finding
// whose message says "crashed"), and every finding must point into the file.
func FuzzLint(f *testing.F) {
	fuzzSeeds(f)
	reg, err := dfrules.Registry()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		lintAll(t, reg, data)
	})
}

func lintAll(t *testing.T, reg *rule.Registry, data []byte) {
	t.Helper()
	for _, target := range []string{"", "b"} {
		file, err := dockerfile.Parse("Dockerfile", data, dockerfile.Options{Target: target, BuildArgs: map[string]string{"BASE": "debian:12"}})
		if err != nil {
			if target == "" {
				t.Fatalf("Parse without a target returned an error: %v", err)
			}
			continue
		}
		findings := engine.LintDockerfile(context.Background(), file, reg, nil, fuzzNow)
		for _, fd := range findings {
			if strings.Contains(fd.Message, "crashed") {
				t.Fatalf("%s: %s", fd.RuleID, fd.Message)
			}
			if fd.Range.Line < 1 || fd.Range.Line > max(1, len(file.Lines)) {
				t.Errorf("%s finding at line %d outside the file (%d lines): %s", fd.RuleID, fd.Range.Line, len(file.Lines), fd.Message)
			}
		}
	}
}
