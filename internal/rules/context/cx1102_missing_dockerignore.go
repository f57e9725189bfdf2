package context

import (
	"path"
	"regexp"

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
	for _, cc := range contextCopies(contextOf(p).Dockerfile) {
		if !cc.copiesWholeContext() {
			continue
		}
		size := ""
		if c.TotalFiles > 0 {
			size = " (" + plural(c.TotalFiles, "file") + ", " + humanSize(c.TotalSize) + ")"
		}
		p.Reportf(cc.In.Start(), "%s copies the whole build context%s and there is no .dockerignore to filter it", cc.text(), size)
	}
	return nil
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
