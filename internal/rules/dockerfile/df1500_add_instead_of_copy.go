package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1500 catches ADD used for plain files and directories from the build
// context. ADD's extra behaviour (extracting local tar archives, fetching
// URLs and Git repositories) makes what lands in the image depend on the
// file's content; COPY does exactly one thing. Sources that are URLs, Git
// references or local tar archives are left alone: there ADD does work COPY
// cannot (URLs are DF1501's concern).
var DF1500 = &rule.Rule{
	ID:       "DF1500",
	Slug:     "add-instead-of-copy",
	Title:    "ADD used where COPY would do",
	Severity: rule.Low,
	Category: rule.CatIntegrity,
	Rationale: "ADD silently unpacks any local file it recognises as a tar archive and can fetch from the network, so the " +
		"same instruction behaves differently depending on what the source happens to be. A file renamed or replaced by an " +
		"archive is extracted into the image instead of copied, which can overwrite files outside the destination. COPY only " +
		"copies, which makes the Dockerfile's effect obvious to reviewers and tools.",
	Fix:   "Replace ADD with COPY for files and directories from the build context; keep ADD only to unpack a local tar archive or to fetch a URL with `--checksum`.",
	Bad:   "FROM alpine:3.20\nADD app.jar /opt/app/app.jar",
	Good:  "FROM alpine:3.20\nCOPY app.jar /opt/app/app.jar\nADD rootfs.tar.gz /",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3020"}, {Tool: "kics", ID: "9513a694-aa0d-41d8-be61-3271e056f36b"}, {Tool: "trivy", ID: "DS-0005"}, {Tool: "checkov", ID: "CKV_DOCKER_4"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#add-or-copy",
		"https://docs.docker.com/reference/dockerfile/#add",
		"https://github.com/hadolint/hadolint/wiki/DL3020",
	},
	Check: checkAddInsteadOfCopy,
}

// itgArchiveExt are the endings of files ADD unpacks (tar, optionally
// compressed with gzip, bzip2, xz or zstd), with the short forms.
var itgArchiveExt = []string{
	".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
	".tar.lz", ".tlz", ".tar.lzma", ".tar.z", ".taz", ".tz", ".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".z",
}

func itgIsArchive(src string) bool {
	l := strings.ToLower(strings.Trim(src, `"'`))
	for _, e := range itgArchiveExt {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

func checkAddInsteadOfCopy(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		for _, in := range st.Instructions {
			add, ok := in.Command.(*instructions.AddCommand)
			if !ok {
				continue
			}
			if _, from := in.Flag("from"); from {
				continue
			}
			var local []string
			for _, raw := range add.SourcePaths {
				src := itgAddSource(in, raw)
				if df.IsURL(src) || df.IsGitRef(src) || itgIsArchive(src) {
					continue
				}
				local = append(local, raw)
			}
			if len(add.SourcePaths) == 0 && len(add.SourceContents) > 0 {
				p.Reportf(in.Start(), "ADD writes a heredoc, which COPY does the same way; use COPY")
				continue
			}
			if len(local) == 0 {
				continue
			}
			p.Reportf(in.Start(), "ADD copies local %s %s from the build context; use COPY", plural(len(local), "source", "sources"), listNames(quoteAll(local), 3))
		}
	}
	return nil
}

// itgAddSource resolves an ADD source's variables; an unresolvable
// reference is kept as written.
func itgAddSource(in *df.Instruction, raw string) string {
	v, unmatched := in.Expand(raw)
	if len(unmatched) > 0 || v == "" {
		return raw
	}
	return v
}
