package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// BenchmarkLintCorpus parses and lints every real-world and peer-corpus
// Dockerfile once per iteration. Files are read before the timer starts.
//
//	go test -run '^$' -bench 'LintCorpus|Parse' -benchtime 5x ./internal/scan
func BenchmarkLintCorpus(b *testing.B) {
	shared := sharedDir(b)
	files := append(realworldDockerfiles(shared), peerDockerfiles(shared)...)
	if len(files) == 0 {
		b.Skip("no corpus files found")
	}
	reg, err := dfrules.Registry()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var bytes int64
	for _, f := range files {
		bytes += int64(len(f.Data))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			m, err := dockerfile.Parse(f.Name, f.Data, dockerfile.Options{})
			if err != nil {
				b.Fatal(err)
			}
			engine.LintDockerfile(ctx, m, reg, nil, fuzzNow)
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkParse parses the largest real-world Dockerfile (or a synthetic
// one when the corpus is absent).
func BenchmarkParse(b *testing.B) {
	var data []byte
	if shared := findShared(); shared != "" {
		for _, f := range realworldDockerfiles(shared) {
			if len(f.Data) > len(data) {
				data = f.Data
			}
		}
	}
	if data == nil {
		var sb strings.Builder
		sb.WriteString("FROM debian:12 AS build\n")
		for i := 0; i < 400; i++ {
			sb.WriteString("RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n")
		}
		data = []byte(sb.String())
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dockerfile.Parse("Dockerfile", data, dockerfile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCorpusNoCrash lints every corpus Dockerfile and fails on a crashed
// rule, a finding outside the file, or a Parse error without a target.
func TestCorpusNoCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	shared := sharedDir(t)
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(realworldDockerfiles(shared), peerDockerfiles(shared)...) {
		m, err := dockerfile.Parse(f.Name, f.Data, dockerfile.Options{})
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		for _, fd := range engine.LintDockerfile(context.Background(), m, reg, nil, fuzzNow) {
			if strings.Contains(fd.Message, "crashed") || fd.Range.Line < 1 || fd.Range.Line > max(1, len(m.Lines)) {
				t.Errorf("%s:%d: %s %s", f.Name, fd.Range.Line, fd.RuleID, fd.Message)
			}
		}
	}
}
