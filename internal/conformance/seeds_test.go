package conformance

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// seedCase says what the practice a seed Dockerfile demonstrates implies
// for shipshape. Only rules whose behaviour on the file is clear are named;
// other rules may report what they like.
type seedCase struct {
	file string
	// fire maps a rule to the text of the line its finding must start on.
	fire map[string]string
	// quiet lists rules that must not report anything.
	quiet []string
}

// seedCases are the Dockerfiles of /work/shared/seeds, extracted into
// testdata/seeds/.
var seedCases = []seedCase{
	{
		file:  "go-multistage.Dockerfile",
		fire:  map[string]string{"DF1100": "FROM alpine:3.19"},
		quiet: []string{"DF1101", "DF1200", "DF1203", "DF1300", "DF1302", "DF1803"},
	},
	{
		file:  "node-nonroot.Dockerfile",
		quiet: []string{"DF1100", "DF1101", "DF1102", "DF1200", "DF1203", "DF1803"},
	},
	{
		// Distroless runs as root unless the :nonroot tag is used; no tag
		// means latest; `builder` is no stage of this fragment.
		file: "distroless-static.Dockerfile",
		fire: map[string]string{
			"DF1100": "FROM gcr.io/distroless/static-debian12",
			"DF1200": "FROM gcr.io/distroless/static-debian12",
			"DF1302": "COPY --from=builder",
		},
		quiet: []string{"DF1101", "DF1203", "DF1803"},
	},
	{
		// Node.js 18 reached end of life on 2025-04-30; the tests' clock is
		// 2026-06-01.
		file: "node18-alpine-root.Dockerfile",
		fire: map[string]string{
			"DF1100": "FROM node:18-alpine",
			"DF1204": "FROM node:18-alpine",
		},
		quiet: []string{"DF1101", "DF1200", "DF1203", "DF1803"},
	},
	{
		file:  "node-distroless-multistage.Dockerfile",
		fire:  map[string]string{"DF1200": "FROM gcr.io/distroless/nodejs20-debian12"},
		quiet: []string{"DF1203", "DF1300", "DF1301", "DF1302", "DF1803"},
	},
	{
		file:  "node-nonroot-chown.Dockerfile",
		quiet: []string{"DF1100", "DF1101", "DF1104", "DF1106", "DF1200", "DF1803"},
	},
	{
		file:  "apt-cleanup.Dockerfile",
		fire:  map[string]string{"DF1505": "ca-certificates \\"},
		quiet: []string{"DF1600", "DF1601", "DF1602", "DF1608", "DF1809"},
	},
	{
		file: "env-secret.Dockerfile",
		fire: map[string]string{"DF1400": "ENV DATABASE_PASSWORD"},
	},
}

func TestSeedDockerfiles(t *testing.T) {
	reg := registry(t)
	for _, sc := range seedCases {
		t.Run(strings.TrimSuffix(sc.file, ".Dockerfile"), func(t *testing.T) {
			path := filepath.Join("testdata", "seeds", sc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := lintSource(reg, path, data, nil)
			if res.Panic != "" || res.Err != nil {
				t.Fatalf("lint failed: panic=%q err=%v", res.Panic, res.Err)
			}
			checkExpectations(t, reg, data, res, sc.fire, sc.quiet)
		})
	}
}

// checkExpectations asserts that each rule in fire reports at the line that
// starts with the given text, and that the rules in quiet report nothing. A
// rule that is still a stub cannot fire yet; its expectation is logged as
// pending instead of failing.
func checkExpectations(t *testing.T, reg *rule.Registry, data []byte, res linted, fire map[string]string, quiet []string) {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	lineOf := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				return i + 1
			}
		}
		t.Fatalf("no line starts with %q", prefix)
		return 0
	}
	byRule := map[string][]int{}
	for _, f := range res.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f.Range.Line)
		if f.RuleID == "DF1000" {
			t.Errorf("parse error at %d: %s", f.Range.Line, f.Message)
		}
	}
	ids := make([]string, 0, len(fire))
	for id := range fire {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		at := fire[id]
		r, ok := reg.Get(id)
		if !ok {
			t.Errorf("unknown rule %s", id)
			continue
		}
		want := lineOf(at)
		switch {
		case slices.Contains(byRule[id], want):
		case isStub(r):
			t.Logf("pending: %s should report at line %d (%q) but is still a stub", id, want, at)
		default:
			t.Errorf("%s: want a finding at line %d (%q), got lines %v", id, want, at, byRule[id])
		}
	}
	for _, id := range quiet {
		if _, ok := reg.Get(id); !ok {
			t.Errorf("unknown rule %s", id)
		}
		if ls := byRule[id]; len(ls) > 0 {
			t.Errorf("%s: want no finding, got lines %v", id, ls)
		}
	}
}
