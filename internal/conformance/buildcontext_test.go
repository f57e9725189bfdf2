package conformance

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// withBuildContext adds the build-context rules' findings to a linted
// sample that comes with a .dockerignore (BuildKit's CopyIgnoredFile
// cases): the sample's Dockerfile and ignore file are written to a fresh
// context directory, as the peer's test builds them.
func withBuildContext(t *testing.T, reg *rule.Registry, l linted, s *corpus.Sample) linted {
	if l.File == nil || l.Err != nil || l.Panic != "" {
		return l
	}
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := imagetest.WriteTree(dir, map[string]string{"Dockerfile": string(s.Text), ".dockerignore": s.Dockerignore}); err != nil {
		l.Err = err
		return l
	}
	c, err := buildctx.Load(dir, df, l.File, buildctx.Options{})
	if err != nil {
		l.Err = err
		return l
	}
	for _, f := range rule.WithRelated(engine.LintContext(context.Background(), c, reg, config.Default(), testNow)) {
		if f.Suppression == nil {
			l.Findings = append(l.Findings, f)
		}
	}
	return l
}
