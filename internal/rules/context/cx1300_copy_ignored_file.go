package context

import (
	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CX1300 is the reverse of CX1100: a COPY or ADD of a path that the ignore
// file excludes, so that the build fails (or copies less than intended).
//
// Without `!` patterns it decides from the patterns alone, as BuildKit's
// CopyIgnoredFile check does (context-root sources only when a pattern
// excludes every root entry). With `!` patterns BuildKit gives up; shipshape
// then asks the walked context: a source that is excluded and has nothing
// sent at or below it is reported.
var CX1300 = &rule.Rule{
	ID:       "CX1300",
	Slug:     "copy-ignored-file",
	Title:    "COPY source is excluded by .dockerignore",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "Files that .dockerignore excludes are never sent to the builder, so a COPY or ADD that names one " +
		"fails with \"not found\" or, for a directory or wildcard, silently copies less than the author expected. " +
		"The two files disagree: either the ignore pattern is too broad or the COPY is stale.",
	Fix: "Re-include the path in .dockerignore with a `!path` line after the pattern that excludes it, or remove " +
		"the COPY if the file is not needed.",
	Bad:        "# .dockerignore: *.md\nFROM alpine:3.21\nCOPY README.md /usr/share/doc/app/",
	Good:       "# .dockerignore: *.md, !README.md\nFROM alpine:3.21\nCOPY README.md /usr/share/doc/app/",
	Peers:      []rule.Peer{{Tool: "buildkit", ID: "CopyIgnoredFile"}},
	References: []string{docsContext, "https://docs.docker.com/reference/build-checks/copy-ignored-file/"},
	Check:      checkCopyIgnored,
}

func checkCopyIgnored(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil || !c.HasIgnoreFile() || c.PatternErr != nil || contextOf(p).Dockerfile == nil {
		return nil
	}
	for _, cc := range contextCopies(contextOf(p).Dockerfile) {
		for _, s := range cc.Sources {
			src := buildctx.Clean(s)
			if !copyIgnored(c, src) {
				continue
			}
			what := "the context root"
			if src != "." {
				what = "\"" + src + "\""
			}
			p.Reportf(cc.In.Locate(s), "%s %s: %s is excluded by %s, so the build cannot copy it",
				cc.In.KeywordAsWritten, s, what, ignoreName(c))
		}
	}
	return nil
}

func copyIgnored(c *buildctx.Context, src string) bool {
	if !c.Exclusions() {
		if src == "." && !c.RootIgnored() {
			return false
		}
		return c.Ignored(src)
	}
	if src == "." || hasWildcard(src) {
		return false
	}
	return !c.SentUnder(src) && (c.IsExcluded(src) || c.Ignored(src))
}
