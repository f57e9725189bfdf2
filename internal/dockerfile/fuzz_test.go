package dockerfile_test

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
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// FuzzParse builds the model of arbitrary input and runs the full rule
// engine over it (this external test package may import scan without a
// cycle). Nothing may panic, no rule may crash, every instruction, error and
// finding must point into the file, and commands must lie inside their RUN.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 3m ./internal/dockerfile
func FuzzParse(f *testing.F) {
	f.Add([]byte("FROM alpine\nRUN <<A <<B\na\nA\nb\nB\n"))
	f.Add([]byte("# escape=`\nFROM x\nRUN a `\n b\n"))
	_ = filepath.WalkDir(filepath.Join("..", "rules", "dockerfile", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	if shared := os.Getenv("SHIPSHAPE_SHARED"); shared != "" || fileExists(filepath.Join("..", "..", "..", "shared")) {
		if shared == "" {
			shared = filepath.Join("..", "..", "..", "shared")
		}
		n := 0
		_ = filepath.WalkDir(filepath.Join(shared, "corpus", "realworld", "dockerfiles"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if n++; n%25 == 0 {
					if data, err := os.ReadFile(p); err == nil {
						f.Add(data)
					}
				}
			}
			return nil
		})
	}
	reg, err := dfrules.Registry()
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		m, err := dockerfile.Parse("Dockerfile", data, dockerfile.Options{})
		if err != nil {
			t.Fatalf("Parse without a target: %v", err)
		}
		n := max(1, len(m.Lines))
		for _, in := range m.Instructions {
			if in.Range.Line < 1 || in.Range.EndLine < in.Range.Line || in.Range.Line > n {
				t.Errorf("%s range %+v outside 1..%d", in.Keyword, in.Range, n)
			}
			if in.Script != nil {
				for _, c := range in.Script.Commands {
					if c.Range.Line != 0 && (c.Range.Line < in.Range.Line || c.Range.Line > in.Range.EndLine) {
						t.Errorf("command %s at line %d outside its RUN %d-%d", c.Name, c.Range.Line, in.Range.Line, in.Range.EndLine)
					}
				}
			}
		}
		for _, e := range m.Errors {
			if e.Range.Line < 1 || e.Range.Line > n {
				t.Errorf("parse error at line %d outside 1..%d: %s", e.Range.Line, n, e.Message)
			}
		}
		for _, fd := range engine.LintDockerfile(context.Background(), m, reg, nil, now) {
			if strings.Contains(fd.Message, "crashed") {
				t.Fatalf("%s: %s", fd.RuleID, fd.Message)
			}
			if fd.Range.Line < 1 || fd.Range.Line > n {
				t.Errorf("%s finding at line %d outside 1..%d: %s", fd.RuleID, fd.Range.Line, n, fd.Message)
			}
		}
	})
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
