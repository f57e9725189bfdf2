package runtime

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// seedCase says what a compose file from the seeds (testdata/seeds/) must
// produce: for a weak file, each rule the seed text warns about with the
// text of the line its finding must be on; for a hardened version, no
// finding at low severity or above.
type seedCase struct {
	file     string
	fire     map[string][]string
	hardened bool
}

var seedCases = []seedCase{
	{file: "001-official-images.yaml", fire: map[string][]string{
		"RT1029": {"POSTGRES_PASSWORD: example"},                       // the literal database password
		"RT1024": {`- "3000:3000"`, `- "80:80"`},                       // on every interface, at the entry
		"RT1026": {`- "80:80"`},                                        // host port 80
		"RT1030": {"image: nginx:alpine", "image: postgres:16-alpine"}, // a floating tag; a tag without a digest
		"RT1004": {"app:", "nginx:", "db:"},                            // default capabilities kept
		"RT1010": {"app:", "nginx:", "db:"},                            // writable root filesystems
		// RT1027 is quiet: nothing in the file says which service uses
		// the database (no depends_on, links or connection setting).
		"RT1012": {"app:", "nginx:", "db:"}, // no memory limits
	}},
	{file: "001-official-images-hardened.yaml", hardened: true},
	{file: "004-runtime-weak.yaml", fire: map[string][]string{
		"RT1003": {"privileged: true"},
		"RT1004": {"app:", "db:"}, // app's folds into RT1003
		"RT1010": {"app:", "db:"},
		"RT1012": {"app:", "db:"},
		"RT1013": {"app:", "db:"},
		"RT1025": {`- "5432:5432"`},
		// RT1027 is quiet: two services, and the app is the only one that
		// can use the database.
		"RT1029": {"DATABASE_PASSWORD: supersecret"},
		"RT1009": {"app:", "db:"},
	}},
	{file: "004-runtime-hardened.yaml", hardened: true},
}

func TestSeeds(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.yaml"))
	if len(files) != len(seedCases) {
		t.Errorf("testdata/seeds has %d files, seedCases %d", len(files), len(seedCases))
	}
	for _, sc := range seedCases {
		path := filepath.Join("testdata", "seeds", sc.file)
		got, src := lintYAML(t, reg, nil, path)
		got = rule.WithRelated(got)
		lines := strings.Split(src, "\n")
		text := func(f rule.Finding) string {
			if f.Range.Line >= 1 && f.Range.Line <= len(lines) {
				return strings.TrimSpace(lines[f.Range.Line-1])
			}
			return ""
		}
		if sc.hardened {
			for _, f := range got {
				if f.Severity.AtLeast(rule.Low) {
					t.Errorf("%s:%d: hardened seed reports %s (%s): %s", sc.file, f.Range.Line, f.RuleID, f.Severity, f.Message)
				}
			}
			continue
		}
		for id, want := range sc.fire {
			var at []string
			for _, f := range got {
				if f.RuleID == id {
					at = append(at, text(f))
				}
			}
			sort.Strings(at)
			w := append([]string(nil), want...)
			sort.Strings(w)
			if strings.Join(at, "|") != strings.Join(w, "|") {
				t.Errorf("%s: %s findings at %q, want %q", sc.file, id, at, w)
			}
		}
	}
}

// TestSeedsMatchSharedText checks that the weak seed files still quote the
// seeds' own compose example (when the shared folder is present).
func TestSeedsMatchSharedText(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join(corpus.Shared(t), "seeds", "001_e93b9a60aa669158.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join("testdata", "seeds", "001-official-images.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(ours), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if !strings.Contains(string(seed), l) {
			t.Errorf("testdata/seeds/001-official-images.yaml line %q is not in seed 001", l)
		}
	}
}
