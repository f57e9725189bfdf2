package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1501 catches ADD instructions that download a URL without `--checksum`,
// and ADD of a Git repository that is not pinned to a commit: what ends up
// in the image is whatever the server returns at build time.
var DF1501 = &rule.Rule{
	ID:       "DF1501",
	Slug:     "add-url-without-checksum",
	Title:    "ADD downloads a URL without --checksum",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "A file fetched by URL can change at any time: a new release under the same name, a compromised download " +
		"server or an intercepting proxy all produce a different image from the same Dockerfile, and nothing fails. " +
		"`ADD --checksum=sha256:...` makes BuildKit refuse content that does not match, and a Git source pinned to a commit " +
		"cannot move under a tag or branch.",
	Fix: "Add `--checksum=sha256:<digest>` to the ADD (Dockerfile syntax 1.6 or later), or download with curl in a RUN and check the file with `sha256sum -c`; " +
		"for a Git source, pin a full commit (`ADD https://github.com/org/repo.git#<commit-sha> /src`).",
	Bad: "FROM alpine:3.20\nADD https://example.com/tool-1.2.3.tar.gz /tmp/",
	Good: "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n" +
		"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.3.tar.gz /tmp/",
	Peers: []rule.Peer{{Tool: "kics", ID: "4b410d24-1cbe-4430-a632-62c9a931cf1c"}, {Tool: "checkov", ID: "CKV_DOCKER_4"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#add---checksum",
		"https://docs.docker.com/build/building/best-practices/#add-or-copy",
	},
	Check: checkAddURLWithoutChecksum,
}

func checkAddURLWithoutChecksum(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		for _, in := range st.Instructions {
			add, ok := in.Command.(*instructions.AddCommand)
			if !ok {
				continue
			}
			_, hasSum := in.Flag("checksum")
			for _, raw := range add.SourcePaths {
				src := itgAddSource(in, raw)
				switch {
				case df.IsGitRef(src):
					pinned := hasSum
					base, ref, _ := strings.Cut(src, "#")
					ref, _, _ = strings.Cut(ref, ":")
					if _, q, ok := strings.Cut(base, "?"); ok {
						// The query form: ?ref=v1.2&commit=<sha>&checksum=<sha>.
						for _, kv := range strings.Split(q, "&") {
							k, v, _ := strings.Cut(kv, "=")
							switch k {
							case "ref", "tag", "branch":
								ref = v
							case "commit", "checksum":
								if itgHexCommit.MatchString(v) {
									pinned = true
								}
							}
						}
					}
					if pinned || itgHexCommit.MatchString(ref) {
						continue
					}
					what := "no ref, so it follows the default branch"
					if ref != "" {
						what = "ref " + ref + ", which can move"
					}
					p.Reportf(in.Start(), "ADD fetches Git repository %s at %s; pin a commit", truncate(src, 100), what)
				case df.IsURL(src):
					if hasSum {
						continue
					}
					p.Reportf(in.Start(), "ADD downloads %s without --checksum, so its content is not verified", truncate(src, 100))
				}
			}
		}
	}
	return nil
}

// itgHexCommit matches a full Git commit hash (SHA-1 or SHA-256).
var itgHexCommit = regexp.MustCompile(`^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$`)
