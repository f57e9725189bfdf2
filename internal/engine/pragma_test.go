package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// TestForeignPragmas checks, through the whole engine, that other tools'
// ignore comments suppress the shipshape rules mapped to their checks, so a
// team can switch tools without editing Dockerfiles.
func TestForeignPragmas(t *testing.T) {
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, src, rule, kind string
		line                  int
	}{
		{"hadolint", "FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\n", "DF1101", "hadolint", 3},
		{"hadolint global", "# hadolint global ignore=DL3002\nFROM alpine:3.20\nUSER root\n", "DF1101", "hadolint", 3},
		{"trivy", "FROM alpine:3.20\n# trivy:ignore:DS-0002\nUSER root\n", "DF1101", "trivy", 3},
		{"trivy short id", "FROM alpine:3.20\n# trivy:ignore:DS002\nUSER root\n", "DF1101", "trivy", 3},
		{"checkov", "FROM alpine:3.20\n#checkov:skip=CKV_DOCKER_8:legacy image\nUSER root\n", "DF1101", "checkov", 3},
		{"buildkit directive", "# check=skip=MaintainerDeprecated\nFROM alpine:3.20\nMAINTAINER me\nUSER nobody\n", "DF1804", "buildkit", 3},
		{"native", "FROM alpine:3.20\n# shipshape ignore=DF1101 -- runs a root-only agent\nUSER root\n", "DF1101", "inline", 3},
		{"native file", "# shipshape file-ignore=DF1101 -- runs a root-only agent\nFROM alpine:3.20\nUSER root\n", "DF1101", "file", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := dockerfile.Parse("Dockerfile", []byte(c.src), dockerfile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, fd := range engine.LintDockerfile(context.Background(), f, reg, config.Default(), fuzzNow) {
				if fd.RuleID != c.rule || fd.Range.Line != c.line {
					continue
				}
				found = true
				if fd.Suppression == nil || fd.Suppression.Kind != c.kind {
					t.Errorf("%s at line %d not suppressed by the %s pragma: %+v", c.rule, c.line, c.kind, fd.Suppression)
				}
			}
			if !found {
				t.Fatalf("%s did not fire at line %d at all", c.rule, c.line)
			}
		})
	}

	// A pragma for the wrong instruction must not suppress.
	f, _ := dockerfile.Parse("Dockerfile", []byte("FROM alpine:3.20\n# hadolint ignore=DL3002\nRUN true\nUSER root\n"), dockerfile.Options{})
	for _, fd := range engine.LintDockerfile(context.Background(), f, reg, config.Default(), fuzzNow) {
		if fd.RuleID == "DF1101" && fd.Suppression != nil {
			t.Errorf("a pragma above RUN suppressed the USER finding: %+v", fd)
		}
	}
}

// TestHadolintStagePragma checks hadolint's `stage ignore`: it covers the
// rest of the stage it is written in (the whole stage when it sits above a
// FROM) and nothing after the next FROM; and that a hadolint comment that
// hadolint itself would not read is reported (DF1002) and honoured by no
// one.
func TestHadolintStagePragma(t *testing.T) {
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	src := `FROM alpine:3.20 AS build
RUN echo start
# hadolint stage ignore=DL3003 # the build scripts expect their directory
RUN cd /src && make
RUN cd /src/docs && make
# hadolint stage ignore=DL3003
FROM alpine:3.20 AS test
RUN cd /src && make test
FROM alpine:3.20
RUN cd /app && ./configure
# hadolint ignore=DF1801
RUN cd /srv && ./install
`
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	suppressed := map[int]bool{}
	fired := map[int]bool{}
	bad := map[int]string{}
	for _, fd := range engine.LintDockerfile(context.Background(), f, reg, config.Default(), fuzzNow) {
		switch fd.RuleID {
		case "DF1801":
			fired[fd.Range.Line] = true
			if fd.Suppression != nil && fd.Suppression.Kind == "hadolint" {
				suppressed[fd.Range.Line] = true
			}
		case "DF1002":
			bad[fd.Range.Line] = fd.Message
		}
	}
	for line, want := range map[int]bool{4: true, 5: true, 8: true, 10: false, 12: false} {
		if !fired[line] {
			t.Errorf("DF1801 did not fire at line %d", line)
		} else if suppressed[line] != want {
			t.Errorf("DF1801 at line %d: suppressed=%v, want %v", line, suppressed[line], want)
		}
	}
	if m := bad[11]; !strings.Contains(m, "DF1801, a shipshape rule") {
		t.Errorf("a hadolint pragma naming a shipshape rule is not reported by DF1002: %q", m)
	}
	if len(bad) != 1 {
		t.Errorf("DF1002 findings %v, want only the one at line 11", bad)
	}
}
