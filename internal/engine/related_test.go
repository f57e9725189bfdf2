package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// TestAptIndexOneFinding checks that the apt lists one RUN stores are
// reported once, however many rules see them: DF1601 where they are
// stored, DF1600 where a later RUN installs from them, DF1606 where a
// later RUN deletes them; and that lists stored by another RUN stay a
// finding of their own.
func TestAptIndexOneFinding(t *testing.T) {
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	src := `FROM debian:12
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
RUN rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1
RUN rm -rf /var/lib/apt/lists/*
USER nobody
`
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fd := range engine.LintDockerfile(context.Background(), f, reg, config.Default(), fuzzNow) {
		if fd.RuleID != "DF1600" && fd.RuleID != "DF1601" && fd.RuleID != "DF1606" {
			continue
		}
		var rel []string
		for _, r := range fd.Related {
			rel = append(rel, fmt.Sprintf("%s@%d", r.RuleID, r.Range.Line))
		}
		got = append(got, fmt.Sprintf("%s@%d[%s]", fd.RuleID, fd.Range.Line, strings.Join(rel, ",")))
	}
	// The index of line 2: DF1600 at the install, with the RUN that kept
	// the lists (DF1601) and the RUN that deletes them later (DF1606). The
	// index of line 5: DF1606 at line 6 with DF1601 at line 5.
	want := "DF1600@3[DF1601@2,DF1606@4,DF1601@3] DF1606@6[DF1601@5]"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("apt index findings:\n got %s\nwant %s", g, want)
	}
}
