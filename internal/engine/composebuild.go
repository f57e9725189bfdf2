package engine

import (
	"context"
	"os"
	"path/filepath"
	"sync"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// contextClaims records the (Dockerfile, build context) pairs a lint run
// has linted, so that each pair's build-context findings are reported once
// however many inputs name it: a Dockerfile found by the directory walk
// (built from its own directory) and compose services that build it.
type contextClaims struct {
	mu   sync.Mutex
	seen map[string]bool
	// wd is the working directory, read once: filepath.Abs would read it
	// (two stat calls) twice per Dockerfile, before any worker starts.
	wd    string
	wdErr error
}

// newContextClaims pre-claims the contexts of the Dockerfiles among inputs:
// lintOne lints each of them with its directory as the context.
func newContextClaims(inputs []Input) *contextClaims {
	c := &contextClaims{seen: map[string]bool{}}
	c.wd, c.wdErr = os.Getwd()
	for _, in := range inputs {
		c.claimOwn(in)
	}
	return c
}

// claimOwn claims the context of a Dockerfile input on disk, its own
// directory, which lintOne lints it with; other inputs claim nothing.
func (c *contextClaims) claimOwn(in Input) {
	if in.Kind == KindDockerfile && in.Data == nil && in.Path != "-" && in.Path != "" {
		c.claim(in.Path, filepath.Dir(in.Path))
	}
}

// claim reports whether the pair was not claimed before, and claims it.
// A nil receiver claims everything (no deduplication).
func (c *contextClaims) claim(dockerfilePath, dir string) bool {
	if c == nil {
		return true
	}
	df, err1 := c.abs(dockerfilePath)
	d, err2 := c.abs(dir)
	if err1 != nil || err2 != nil {
		return true
	}
	key := df + "\x00" + d
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] {
		return false
	}
	c.seen[key] = true
	return true
}

// abs is filepath.Abs with the working directory read once.
func (c *contextClaims) abs(p string) (string, error) {
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if c.wdErr != nil {
		return "", c.wdErr
	}
	return filepath.Join(c.wd, p), nil
}

// lintComposeBuilds runs the build-context (CX) rules over the build
// context of every service of a compose project that builds its image from
// a local Dockerfile, unless the run lints that Dockerfile with that
// context already. It returns the findings and the Dockerfiles read.
// A Dockerfile that is missing or does not parse is left alone: building
// the service would fail, which is not a context problem.
func lintComposeBuilds(ctx context.Context, p *container.Project, o LintOptions, cfg *config.Config) ([]rule.Finding, []string) {
	if p == nil || o.Rules == nil || !ContextRulesEnabled(o.Rules, cfg) {
		return nil, nil
	}
	var out []rule.Finding
	var files []string
	for _, s := range p.Specs {
		if s.BuildContext == "" || s.BuildDockerfile == "" || ctx.Err() != nil {
			continue
		}
		st, err := os.Stat(s.BuildDockerfile)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxFileSize {
			continue
		}
		if cfg != nil && cfg.Excluded(s.BuildDockerfile) {
			continue
		}
		if !o.claims.claim(s.BuildDockerfile, s.BuildContext) {
			continue
		}
		if o.claimed != nil {
			*o.claimed = append(*o.claimed, [2]string{s.BuildDockerfile, s.BuildContext})
		}
		data, err := os.ReadFile(s.BuildDockerfile)
		if err != nil {
			continue
		}
		f, err := dockerfile.Parse(s.BuildDockerfile, data, dockerfile.Options{})
		if err != nil {
			continue
		}
		c, err := buildctx.Load(s.BuildContext, s.BuildDockerfile, f, buildctx.Options{})
		if err != nil {
			continue
		}
		// Lint fingerprints the whole run at the end.
		fs, _ := lintContext(ctx, c, o.Rules, cfg, o.Now)
		out = append(out, fs...)
		files = append(files, s.BuildDockerfile)
	}
	return out, files
}
