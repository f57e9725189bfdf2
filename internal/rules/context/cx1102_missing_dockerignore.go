package context

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CX1102 reports a Dockerfile that copies the whole build context while
// the context has no ignore file, so that nothing at all is filtered. A
// context that holds nothing but Dockerfiles has nothing to filter.
var CX1102 = &rule.Rule{
	ID:       "CX1102",
	Slug:     "missing-dockerignore",
	Title:    "Whole context copied without a .dockerignore",
	Severity: rule.Medium,
	Category: rule.CatSecrets,
	Rationale: "Without a .dockerignore, `docker build` sends every file under the context directory, and `COPY . .` " +
		"then copies all of it into the image: the .git directory, local .env files, editor and test artefacts, " +
		"node_modules or virtual environments built for the host. Besides leaking whatever happens to be in the " +
		"working tree, every unrelated change invalidates the layer cache from that COPY on. A context that holds " +
		"nothing but Dockerfiles is not reported: there is nothing in it to keep out.",
	Fix: "Create a .dockerignore beside the Dockerfile (or `<Dockerfile>.dockerignore`). The safest form excludes " +
		"everything and re-includes what the build needs: `**` followed by `!src/`, `!package*.json`.",
	Bad:        "# no .dockerignore\nFROM python:3.13-slim\nWORKDIR /app\nCOPY . .",
	Good:       "# .dockerignore: .git, .env, __pycache__, .venv\nFROM python:3.13-slim\nWORKDIR /app\nCOPY . .",
	References: []string{docsContext, "https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore"},
	Check:      checkMissingDockerignore,
}

func checkMissingDockerignore(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil || c.HasIgnoreFile() || contextOf(p).Dockerfile == nil || onlyDockerfiles(c.Files, c.TotalFiles) {
		return nil
	}
	var fixes []rule.Fix
	for _, cc := range contextCopies(contextOf(p).Dockerfile) {
		if !cc.copiesWholeContext() {
			continue
		}
		size := ""
		if c.TotalFiles > 0 {
			size = " (" + plural(c.TotalFiles, "file") + ", " + humanSize(c.TotalSize) + ")"
		}
		if fixes == nil {
			// One file is created, so only the first finding carries it.
			fixes = []rule.Fix{dockerignoreFix(c)}
		} else {
			fixes = []rule.Fix{}
		}
		p.Report(rule.Finding{
			Message:  fmt.Sprintf("%s copies the whole build context%s and there is no .dockerignore to filter it", cc.text(), size),
			Location: rule.Location{Range: cc.In.Start()},
			Fixes:    fixes,
		})
	}
	return nil
}

// ignoreCandidate is a pattern the created .dockerignore may hold: what no
// build reads, unless the Dockerfile names it or runs its tool.
type ignoreCandidate struct {
	pattern, literal, tool string
}

// ignoreCandidates are version-control metadata, editor settings and
// operating-system and interpreter leftovers. Dependencies (node_modules)
// and environment files (.env) are not among them: a Dockerfile that
// copies the whole context may rely on them being there.
var ignoreCandidates = []ignoreCandidate{
	{".git", ".git", "git"}, {".hg", ".hg", "hg"}, {".svn", ".svn", "svn"},
	{".idea", ".idea", ""}, {".vscode", ".vscode", ""},
	{"**/.DS_Store", ".DS_Store", ""}, {"**/Thumbs.db", "Thumbs.db", ""}, {"**/*.swp", ".swp", ""},
	{"**/__pycache__", "__pycache__", ""}, {"**/*.pyc", ".pyc", ""},
}

// dockerignoreFix creates a .dockerignore beside the Dockerfile holding
// the candidates that nothing in the build needs: no COPY or ADD source
// and no other word of the Dockerfile names them, and no RUN runs the
// tool that reads them (git for .git). The image then lacks only files the
// application never reads. It is refused when the context is not the
// Dockerfile's directory (fix writes only beside the files it lints) or
// when another Dockerfile there would read the same new file.
func dockerignoreFix(c *buildctx.Context) rule.Fix {
	const title = "create a .dockerignore for version-control metadata and editor and OS leftovers"
	f := c.Dockerfile
	if c.DockerfilePath == "" || filepath.Clean(filepath.Dir(c.DockerfilePath)) != c.Dir {
		return rule.Fix{Title: title, Level: rule.FixSafe, Refused: "the build context is not the Dockerfile's directory"}
	}
	self := filepath.Base(c.DockerfilePath)
	for _, fl := range c.Files {
		if !strings.Contains(fl.Path, "/") && fl.Path != self && dockerfileName.MatchString(fl.Path) {
			return rule.Fix{Title: title, Level: rule.FixSafe, Refused: "another Dockerfile in the directory (" + fl.Path + ") would read the same .dockerignore"}
		}
	}
	tools := map[string]bool{}
	for in := range f.Runs() {
		for _, cmd := range in.Script.Commands {
			tools[cmd.Name] = true
		}
	}
	var b strings.Builder
	b.WriteString("# Created by `shipshape fix` (CX1102): files the build never reads.\n")
	n := 0
	for _, ic := range ignoreCandidates {
		if bytes.Contains(f.Source, []byte(ic.literal)) || (ic.tool != "" && tools[ic.tool]) {
			continue
		}
		b.WriteString(ic.pattern + "\n")
		n++
	}
	if n == 0 {
		return rule.Fix{Title: title, Level: rule.FixSafe, Refused: "the Dockerfile names everything a .dockerignore would keep out"}
	}
	return rule.Fix{Title: title, Level: rule.FixSafe, Edits: []rule.Edit{{File: filepath.Join(c.Dir, ".dockerignore"), New: b.String()}}}
}

// dockerfileName matches the names of Dockerfiles: Dockerfile,
// Containerfile, Dockerfile.alpine, base.Dockerfile.
var dockerfileName = regexp.MustCompile(`(?i)^(dockerfile|containerfile)([._-].+)?$|.+[.](dockerfile|containerfile)$`)

// onlyDockerfiles reports a context whose every file (all of them listed)
// is a Dockerfile.
func onlyDockerfiles(files []buildctx.File, total int) bool {
	if len(files) == 0 || len(files) != total {
		return false
	}
	for _, f := range files {
		if !dockerfileName.MatchString(path.Base(f.Path)) {
			return false
		}
	}
	return true
}
