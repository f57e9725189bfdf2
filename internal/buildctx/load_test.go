package buildctx

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// tree writes files (path -> content) under a new temporary directory.
func sent(c *Context) []string {
	var out []string
	for _, f := range c.Files {
		out = append(out, f.Path)
	}
	return out
}

func load(t *testing.T, dir string) *Context {
	t.Helper()
	c, err := Load(dir, filepath.Join(dir, "Dockerfile"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadPatterns(t *testing.T) {
	base := map[string]string{
		"Dockerfile":              "FROM scratch\n",
		"app/main.go":             "package main",
		"app/main_test.go":        "package main",
		"app/testdata/big.bin":    "xxxx",
		"docs/README.md":          "# docs",
		"docs/guide/intro.md":     "# intro",
		"node_modules/a/index.js": "x",
		"node_modules/b/index.js": "x",
		".env":                    "SECRET=1",
		".git/HEAD":               "ref: refs/heads/main",
		"keep.md":                 "keep",
	}
	tests := []struct {
		name   string
		ignore string
		want   []string
	}{
		{"no ignore file", "", []string{".env", ".git/HEAD", "Dockerfile", "app/main.go", "app/main_test.go", "app/testdata/big.bin",
			"docs/README.md", "docs/guide/intro.md", "keep.md", "node_modules/a/index.js", "node_modules/b/index.js"}},
		{"directory and nested", "node_modules\n.git\napp/testdata\n", []string{".dockerignore", ".env", "Dockerfile", "app/main.go",
			"app/main_test.go", "docs/README.md", "docs/guide/intro.md", "keep.md"}},
		{"double star", "**/*.md\n**/*_test.go\n", []string{".dockerignore", ".env", ".git/HEAD", "Dockerfile", "app/main.go",
			"app/testdata/big.bin", "node_modules/a/index.js", "node_modules/b/index.js"}},
		{"single star is one level", "*.md\n", []string{".dockerignore", ".env", ".git/HEAD", "Dockerfile", "app/main.go",
			"app/main_test.go", "app/testdata/big.bin", "docs/README.md", "docs/guide/intro.md", "node_modules/a/index.js", "node_modules/b/index.js"}},
		{"re-include inside excluded dir", "docs\n!docs/guide/intro.md\n", []string{".dockerignore", ".env", ".git/HEAD", "Dockerfile",
			"app/main.go", "app/main_test.go", "app/testdata/big.bin", "docs/guide/intro.md", "keep.md", "node_modules/a/index.js", "node_modules/b/index.js"}},
		{"allow list", "**\n!app/*.go\n!keep.md\n!Dockerfile\n", []string{"Dockerfile", "app/main.go", "app/main_test.go", "keep.md"}},
		{"later pattern wins", "*.md\n!keep.md\nkeep.md\n", []string{".dockerignore", ".env", ".git/HEAD", "Dockerfile", "app/main.go",
			"app/main_test.go", "app/testdata/big.bin", "docs/README.md", "docs/guide/intro.md", "node_modules/a/index.js", "node_modules/b/index.js"}},
		{"leading slash and comments", "# comment\n/node_modules\n  .git  \n\n/app/testdata/\n", []string{".dockerignore", ".env", "Dockerfile",
			"app/main.go", "app/main_test.go", "docs/README.md", "docs/guide/intro.md", "keep.md"}},
		{"re-include with double star under excluded dir", "node_modules\n!**/index.js\n", []string{".dockerignore", ".env", ".git/HEAD", "Dockerfile",
			"app/main.go", "app/main_test.go", "app/testdata/big.bin", "docs/README.md", "docs/guide/intro.md", "keep.md",
			"node_modules/a/index.js", "node_modules/b/index.js"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			if tc.ignore != "" {
				files[".dockerignore"] = tc.ignore
			}
			c := load(t, imagetest.Tree(t, files))
			if got := sent(c); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sent files:\n got %q\nwant %q", got, tc.want)
			}
			if c.TotalFiles != len(tc.want) {
				t.Errorf("TotalFiles = %d, want %d", c.TotalFiles, len(tc.want))
			}
		})
	}
}

func TestLoadPrunesOnlyWhenNothingCanBeReincluded(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		"Dockerfile":    "FROM scratch\n",
		".dockerignore": "big\nother\n!other/keep\n",
		"big/a":         "1",
		"other/keep":    "2",
		"other/drop":    "3",
	})
	c := load(t, dir)
	var ex []string
	for _, e := range c.Excluded {
		ex = append(ex, e.Path)
	}
	// big/ is pruned as a whole (its content is never listed); other/ is
	// descended because !other/keep may re-include something below it.
	if want := []string{"big", "other/drop"}; !reflect.DeepEqual(ex, want) {
		t.Errorf("excluded = %q, want %q", ex, want)
	}
	if !c.IsExcluded("big/a") || c.IsExcluded("other/keep") || !c.SentUnder("other") || c.SentUnder("big") {
		t.Errorf("IsExcluded/SentUnder disagree with the walk")
	}
}

func TestDockerfileSpecificIgnoreFileWins(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		"build/app.Dockerfile":              "FROM scratch\n",
		"build/app.Dockerfile.dockerignore": "secret.txt\n",
		".dockerignore":                     "public.txt\n",
		"secret.txt":                        "s",
		"public.txt":                        "p",
	})
	c, err := Load(dir, filepath.Join(dir, "build", "app.Dockerfile"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.IgnoreFile, "app.Dockerfile.dockerignore") {
		t.Errorf("IgnoreFile = %s, want the Dockerfile-specific one", c.IgnoreFile)
	}
	if _, ok := c.Sent("secret.txt"); ok {
		t.Error("secret.txt is sent although app.Dockerfile.dockerignore excludes it")
	}
	if _, ok := c.Sent("public.txt"); !ok {
		t.Error("public.txt is not sent: the context's .dockerignore must not apply")
	}
	// Without the specific file the context root's applies.
	os.Remove(filepath.Join(dir, "build", "app.Dockerfile.dockerignore"))
	c, _ = Load(dir, filepath.Join(dir, "build", "app.Dockerfile"), nil, Options{})
	if c.IgnoreFile != filepath.Join(dir, ".dockerignore") {
		t.Errorf("IgnoreFile = %s", c.IgnoreFile)
	}
}

func TestDefaultContextIsDockerfileDir(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{"svc/Dockerfile": "FROM scratch\n", "svc/a": "1", "b": "2"})
	c, err := Load("", filepath.Join(dir, "svc", "Dockerfile"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sent(c); !reflect.DeepEqual(got, []string{"Dockerfile", "a"}) {
		t.Errorf("sent = %q", got)
	}
	if _, err := Load(filepath.Join(dir, "missing"), "", nil, Options{}); err == nil {
		t.Error("a missing context directory must be an error")
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	outside := imagetest.Tree(t, map[string]string{"secret/id_rsa": "KEY", "big": strings.Repeat("x", 1000)})
	dir := imagetest.Tree(t, map[string]string{"Dockerfile": "FROM scratch\n"})
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "linkdir")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	if err := os.Symlink(filepath.Join(outside, "big"), filepath.Join(dir, "linkfile")); err != nil {
		t.Fatal(err)
	}
	// A loop must not hang the walk.
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	c := load(t, dir)
	if got := sent(c); !reflect.DeepEqual(got, []string{"Dockerfile", "linkdir", "linkfile", "loop"}) {
		t.Errorf("sent = %q", got)
	}
	for _, f := range c.Files {
		if f.Path != "Dockerfile" && !f.Symlink {
			t.Errorf("%s: not recorded as a symlink", f.Path)
		}
		if f.Path == "linkfile" && f.Size >= 1000 {
			t.Errorf("linkfile size %d is the target's, the link was followed", f.Size)
		}
	}
}

func TestCapStopsWalk(t *testing.T) {
	files := map[string]string{"Dockerfile": "FROM scratch\n"}
	for i := 0; i < 50; i++ {
		files[filepath.Join("d", strings.Repeat("f", i+1))] = "x"
	}
	dir := imagetest.Tree(t, files)
	c, err := Load(dir, filepath.Join(dir, "Dockerfile"), nil, Options{MaxFiles: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Truncated || c.TotalFiles >= 10 {
		t.Errorf("Truncated=%v TotalFiles=%d, want a truncated walk below 10 files", c.Truncated, c.TotalFiles)
	}
}

func TestSizesAndContents(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		"Dockerfile":          "FROM scratch\n",
		"node_modules/a/x.js": strings.Repeat("a", 100),
		"node_modules/b.js":   strings.Repeat("b", 50),
		".npmrc":              "//registry.npmjs.org/:_authToken=npm_abc\n",
		"big.npmrc.txt":       "not read",
	})
	c, err := Load(dir, filepath.Join(dir, "Dockerfile"), nil, Options{MaxRead: 8})
	if err != nil {
		t.Fatal(err)
	}
	var nm Dir
	for _, d := range c.Dirs {
		if d.Path == "node_modules" {
			nm = d
		}
	}
	if nm.Files != 2 || nm.Size != 150 {
		t.Errorf("node_modules = %+v, want 2 files, 150 bytes", nm)
	}
	if got := string(c.Contents[".npmrc"]); got != "//regist" {
		t.Errorf(".npmrc contents = %q, want the first 8 bytes", got)
	}
	if len(c.Contents) != 1 {
		t.Errorf("contents read for %d files, want only .npmrc", len(c.Contents))
	}
	var total int64
	for _, f := range c.Files {
		total += f.Size
	}
	if c.TotalSize != total {
		t.Errorf("TotalSize = %d, sum of files = %d", c.TotalSize, total)
	}
}

func TestInvalidPatternIsRecorded(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{"Dockerfile": "FROM scratch\n", ".dockerignore": "# c\nok\n[abc\n", "ok": "1"})
	c := load(t, dir)
	if c.PatternErr == nil || c.PatternErr.Line != 3 || c.PatternErr.Pattern != "[abc" {
		t.Fatalf("PatternErr = %+v, want line 3 [abc", c.PatternErr)
	}
	// No exclusion applies then.
	if _, ok := c.Sent("ok"); !ok {
		t.Error("with a broken ignore file nothing should be excluded")
	}
	if len(c.IgnoreComments) != 1 || c.IgnoreComments[0].Line != 1 {
		t.Errorf("comments = %+v", c.IgnoreComments)
	}
}

func TestPatternLines(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{"Dockerfile": "FROM scratch\n", ".dockerignore": "\ufeffa\n\n# x\n  !b  \n/c/\n"})
	c := load(t, dir)
	want := []Pattern{{Text: "a", Line: 1}, {Text: "b", Exclusion: true, Line: 4}, {Text: "c", Line: 5}}
	if !reflect.DeepEqual(c.Patterns, want) {
		t.Errorf("patterns = %+v, want %+v", c.Patterns, want)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{".": ".", "./": ".", "/": ".", "": ".", "./a/../b/": "b", "/src/": "src", "a//b": "a/b"} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
