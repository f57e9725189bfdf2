package context

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CX1101 connects the context to the Dockerfile: a COPY or ADD whose
// sources select a sensitive file that the context actually sends puts
// that file into an image layer.
//
// Scope: copies in the target stage and the stages it is built FROM land in
// the final image and are reported at the rule's severity; copies in other
// stages the target needs (builders) are reported at medium, because the
// file then sits in the build cache and reaches the image only if a later
// `COPY --from` takes it. Stages the target does not need are not
// reported: building the target never runs them.
var CX1101 = &rule.Rule{
	ID:       "CX1101",
	Slug:     "secret-copied-into-image",
	Title:    "COPY puts a sensitive context file into the image",
	Severity: rule.Critical,
	Category: rule.CatSecrets,
	Rationale: "A broad `COPY . .` copies whatever the context sends, so an .env file, a private key or the .git " +
		"directory that .dockerignore misses ends up in an image layer. Layers are content-addressed archives that " +
		"every registry user can download and unpack; deleting the file in a later RUN does not remove it from the " +
		"earlier layer, and the secret has to be rotated once the image has been pushed. A copy into a build stage " +
		"that the final image does not start from is reported at medium: the file then sits in the build cache and " +
		"reaches the image only through a later `COPY --from`.",
	Levels: []rule.Level{{Severity: rule.Medium, When: "for a copy into a build stage the final image does not start " +
		"from: the file sits in the build cache and reaches the image only through a later COPY --from"}},
	Fix: "Exclude the file in .dockerignore, or narrow the COPY to what the application needs (`COPY src/ ./src/`). " +
		"When the build itself needs the credential, mount it with `RUN --mount=type=secret,id=...` so that it never " +
		"becomes part of a layer.",
	Bad:        "# context holds .env and .dockerignore does not exclude it\nFROM node:22-alpine\nWORKDIR /app\nCOPY . .",
	Good:       "# .dockerignore excludes **/.env\nFROM node:22-alpine\nWORKDIR /app\nCOPY package*.json ./\nCOPY src/ ./src/",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{docsContext, "https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/build/building/best-practices/#add-or-copy"},
	Check:      checkSecretCopied,
}

func checkSecretCopied(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil || contextOf(p).Dockerfile == nil || contextOf(p).Dockerfile.Target == nil {
		return nil
	}
	copies := contextCopies(contextOf(p).Dockerfile)
	if len(copies) == 0 {
		return nil
	}
	type secret struct {
		path string
		dir  bool
	}
	var secrets []secret
	for _, d := range gitDirs(c) {
		secrets = append(secrets, secret{d.Path, true})
	}
	for _, f := range c.Files {
		if sensitive(c, f) != "" {
			secrets = append(secrets, secret{f.Path, false})
		}
	}
	if len(secrets) == 0 {
		return nil
	}
	chain := finalChain(contextOf(p).Dockerfile)
	for _, cc := range copies {
		st := cc.In.Stage
		if st == nil || !st.InTarget {
			continue
		}
		var names []string
		for _, s := range secrets {
			if s.dir {
				// A directory is copied when a file below it is.
				if selectsUnder(c, cc, s.path) {
					names = append(names, s.path+"/")
				}
				continue
			}
			if cc.selects(s.path) {
				names = append(names, s.path)
			}
		}
		if len(names) == 0 {
			continue
		}
		if chain[st] {
			p.Reportf(cc.In.Start(), "%s puts %s into the image", cc.text(), listNames(names, 5))
			continue
		}
		p.Report(rule.Finding{Severity: rule.Medium,
			Message: cc.text() + " puts " + listNames(names, 5) + " into build stage " + st.Label() +
				" (in the build cache; the final image gets it only through a COPY --from)", Location: rule.Location{Range: cc.In.Start()}})
	}
	return nil
}

// selectsUnder reports whether a copy takes any sent file below dir.
func selectsUnder(c *buildctx.Context, cc contextCopy, dir string) bool {
	prefix := dir + "/"
	i := sort.Search(len(c.Files), func(i int) bool { return c.Files[i].Path >= prefix })
	for ; i < len(c.Files) && strings.HasPrefix(c.Files[i].Path, prefix); i++ {
		if cc.selects(c.Files[i].Path) {
			return true
		}
	}
	return false
}
