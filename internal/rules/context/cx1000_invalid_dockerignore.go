package context

import (
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CX1000 reports an ignore file whose patterns do not compile. `docker
// build` refuses to start with such a file, and the model then applies no
// exclusion at all, so every other context rule sees the whole directory.
var CX1000 = &rule.Rule{
	ID:       "CX1000",
	Slug:     "invalid-dockerignore",
	Title:    ".dockerignore has a pattern Docker cannot read",
	Severity: rule.High,
	Category: rule.CatCorrectness,
	Rationale: "Docker compiles every .dockerignore line with the same matcher as shipshape (moby/patternmatcher). A " +
		"malformed pattern, such as an unclosed `[` or a lone `!`, makes `docker build` fail before anything is sent, " +
		"and until it is fixed nothing else about the context can be trusted: shipshape checks the context as if no " +
		"file were excluded.",
	Fix: "Correct or delete the pattern on the reported line. Character classes need a closing `]`, and `!` must be " +
		"followed by the path it re-includes.",
	Bad:        "# .dockerignore\nnode_modules\n[abc\n!",
	Good:       "# .dockerignore\nnode_modules\n[abc]*.log\n!README.md",
	References: []string{docsContext, "https://pkg.go.dev/github.com/moby/patternmatcher"},
	Check:      checkInvalidDockerignore,
}

func checkInvalidDockerignore(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil || c.PatternErr == nil || c.IgnoreFile == "" {
		return nil
	}
	line := c.PatternErr.Line
	if line < 1 {
		line = 1
	}
	if c.PatternErr.Pattern != "" {
		p.ReportAt(c.IgnoreFile, loc.Line(line), "pattern %q cannot be compiled (%v); docker build stops here", c.PatternErr.Pattern, c.PatternErr.Err)
		return nil
	}
	p.ReportAt(c.IgnoreFile, loc.Line(line), "the ignore file cannot be read as patterns: %v", c.PatternErr.Err)
	return nil
}
