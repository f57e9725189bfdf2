package cli

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// BenchmarkLintRealworld runs `shipshape lint --format json --fail-on none`
// over the whole real-world corpus (Dockerfiles and compose files) in
// process: discovery, configuration lookup, parsing, every rule, build
// contexts, the pipeline and the JSON report, all that the command does but
// starting the process. It is the benchmark to profile for lint speed:
//
//	go test -run '^$' -bench LintRealworld -benchmem -cpuprofile cpu.out ./internal/cli
func BenchmarkLintRealworld(b *testing.B) {
	dir := filepath.Join(corpus.Shared(b), "corpus", "realworld")
	b.ReportAllocs()
	for b.Loop() {
		if code := Execute(context.Background(), []string{"lint", "--format", "json", "--fail-on", "none", dir}, nil, io.Discard, io.Discard); code != ExitClean {
			b.Fatalf("lint exited %d", code)
		}
	}
}

// BenchmarkLintRealworldDockerfiles is BenchmarkLintRealworld over the
// Dockerfile half of the corpus only: the input of the side-by-side row
// against Trivy and KICS (scripts/bench.sh).
func BenchmarkLintRealworldDockerfiles(b *testing.B) {
	dir := filepath.Join(corpus.Shared(b), "corpus", "realworld", "dockerfiles")
	b.ReportAllocs()
	for b.Loop() {
		if code := Execute(context.Background(), []string{"lint", "--format", "json", "--fail-on", "none", dir}, nil, io.Discard, io.Discard); code != ExitClean {
			b.Fatalf("lint exited %d", code)
		}
	}
}
