package compose

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// realworldFiles lists the real-world compose files of the shared corpus.
func realworldFiles(t testing.TB) []string {
	t.Helper()
	root := filepath.Join(corpus.Shared(t), "corpus", "realworld", "compose")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestRealworldCompose loads every real-world compose file on its own: each
// loads, or reports located errors, and nothing panics.
func TestRealworldCompose(t *testing.T) {
	files := realworldFiles(t)
	if len(files) < 150 {
		t.Fatalf("found %d real-world compose files, want about 181", len(files))
	}
	count := map[Method]int{}
	withErrors, specs := 0, 0
	start := time.Now()
	for _, f := range files {
		p, info, err := LoadSources([]Source{{Path: f}}, Options{NoAutoOverride: true})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		count[info.Method]++
		specs += len(p.Specs)
		if len(p.Errors) > 0 {
			withErrors++
			for _, e := range p.Errors {
				if e.Pos.Range.Line < 1 || e.Pos.File == "" {
					t.Errorf("%s: unlocated error %+v", f, e)
				}
				t.Logf("%s:%d: %s", rel(f), e.Pos.Range.Line, e.Message)
			}
		}
		if testing.Verbose() && info.Method != MethodCompose {
			t.Logf("%s: %s (%v)", rel(f), info.Method, info.Rejection)
		}
		for _, s := range p.Specs {
			if s.Self.Range.Line < 1 {
				t.Errorf("%s: service %s has no line", f, s.Name)
			}
			for k, w := range s.Where {
				if w.Range.Line < 1 || w.File == "" {
					t.Errorf("%s: %s.%s unlocated", f, s.Name, k)
				}
			}
			for _, m := range s.Mounts {
				if m.Where.Range.Line < 1 {
					t.Errorf("%s: %s mount %s unlocated", f, s.Name, m.Target)
				}
			}
			for _, pt := range s.Ports {
				if pt.Where.Range.Line < 1 {
					t.Errorf("%s: %s port %s unlocated", f, s.Name, pt.ContainerPort)
				}
			}
			for _, e := range s.Env {
				if e.Where.Range.Line < 1 {
					t.Errorf("%s: %s env %s unlocated", f, s.Name, e.Name)
				}
			}
		}
	}
	t.Logf("%d files in %v: compose-go %d, compose-go without schema validation %d, YAML fallback %d, nothing loadable %d; %d with load errors; %d services",
		len(files), time.Since(start).Round(time.Millisecond), count[MethodCompose], count[MethodUnvalidated], count[MethodYAML], count[MethodNone], withErrors, specs)
}

func rel(p string) string {
	if i := strings.Index(p, "realworld/compose/"); i >= 0 {
		return p[i+len("realworld/compose/"):]
	}
	return p
}

// BenchmarkLoadCompose loads every real-world compose file once per
// iteration.
func BenchmarkLoadCompose(b *testing.B) {
	files := realworldFiles(b)
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := Load([]string{f}, Options{NoAutoOverride: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(files)), "µs/file")
}
