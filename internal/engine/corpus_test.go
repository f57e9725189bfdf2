package engine_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/engine"
)

// corpusFile is one Dockerfile read once for fuzz seeds and benchmarks.
type corpusFile struct {
	Name string
	Data []byte
}

// realworldDockerfiles reads every Dockerfile under corpus/realworld.
func realworldDockerfiles(shared string) []corpusFile {
	var out []corpusFile
	root := filepath.Join(shared, "corpus", "realworld", "dockerfiles")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil {
			out = append(out, corpusFile{Name: p, Data: data})
		}
		return nil
	})
	return out
}

// peerDockerfiles reads the Dockerfiles of the peer corpora: KICS cases,
// Trivy examples, BuildKit check cases and Checkov fixtures.
func peerDockerfiles(shared string) []corpusFile {
	var out []corpusFile
	corpus := filepath.Join(shared, "corpus")
	jsonl := func(rel, field string, keep func(map[string]any) bool) {
		fh, err := os.Open(filepath.Join(corpus, rel))
		if err != nil {
			return
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		n := 0
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil || (keep != nil && !keep(m)) {
				continue
			}
			if s, ok := m[field].(string); ok && s != "" {
				out = append(out, corpusFile{Name: rel + "#" + itoa(n), Data: []byte(s)})
			}
			n++
		}
	}
	jsonl("kics/cases.jsonl", "text", func(m map[string]any) bool { return m["platform"] == "dockerfile" })
	jsonl("trivy/examples.jsonl", "dockerfile", nil)
	jsonl("buildkit/check_cases.jsonl", "dockerfile", nil)
	_ = filepath.WalkDir(filepath.Join(corpus, "checkov"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if engine.IsDockerfileName(d.Name()) || strings.HasSuffix(strings.ToLower(d.Name()), ".dockerfile") {
			if data, err := os.ReadFile(p); err == nil {
				out = append(out, corpusFile{Name: p, Data: data})
			}
		}
		return nil
	})
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
