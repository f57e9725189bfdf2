package engine_test

import (
	"context"
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
