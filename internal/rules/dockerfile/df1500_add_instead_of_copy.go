package dockerfile

import (
	"fmt"
	"path"
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
				p.Report(rule.Finding{Message: "ADD writes a heredoc, which COPY does the same way; use COPY",
					Location: rule.Location{Range: in.Start()}, Fixes: []rule.Fix{addToCopyFix(in, nil)}})
				continue
			}
			if len(local) == 0 {
				continue
			}
			fix := addToCopyFix(in, add.SourcePaths)
			if len(local) < len(add.SourcePaths) {
				fix = refusal(fix.Title, "some sources are URLs, Git references or archives, which only ADD handles")
			}
			p.Report(rule.Finding{
				Message:  fmt.Sprintf("ADD copies local %s %s from the build context; use COPY", plural(len(local), "source", "sources"), listNames(quoteAll(local), 3)),
				Location: rule.Location{Range: in.Start()},
				Fixes:    []rule.Fix{fix},
			})
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

// addCopyFlags are the ADD flags COPY takes with the same meaning for
// files of the build context.
var addCopyFlags = map[string]bool{"chown": true, "chmod": true, "link": true, "exclude": true}

// addOpaqueExt are endings that say nothing about a file's content: such a
// file may well be a tar archive, which ADD unpacks whatever its name.
var addOpaqueExt = map[string]bool{".bin": true, ".dat": true, ".data": true, ".img": true, ".raw": true, ".layer": true,
	".blob": true, ".pkg": true, ".out": true, ".tmp": true, ".bak": true, ".archive": true}

// addToCopyFix renames ADD to COPY when every source is a file or
// directory of the build context that ADD would copy as COPY does. ADD
// unpacks a local tar archive by its content, not its name, so a source
// must show what it is: a directory (`.`, a trailing slash), or a file
// whose extension names a format that is not a tar archive (app.jar,
// run.sh, config.yaml). A heredoc (srcs nil) is written the same by both.
func addToCopyFix(in *df.Instruction, srcs []string) rule.Fix {
	const title = "replace ADD with COPY"
	for _, f := range in.Flags {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if !addCopyFlags[strings.ToLower(name)] {
			return refusal(title, "COPY has no --"+name+" with ADD's meaning")
		}
	}
	for _, raw := range srcs {
		if strings.ContainsAny(raw, "$") {
			return refusal(title, "a source comes from a variable, which a build argument may point at a tar archive ("+raw+")")
		}
		src := raw
		if !addSourceNotArchive(src) {
			return refusal(title, "ADD unpacks a tar archive whatever its name, and a source's name does not show it is not one ("+src+")")
		}
	}
	if in.Range.Col < 1 {
		return refusal(title, "the keyword's position is not known")
	}
	r := in.Start()
	return safeFix(title, rule.Edit{Range: r, New: keywordCase(in.KeywordAsWritten, "COPY")})
}

// addSourceNotArchive reports whether a local ADD source shows by its
// name that it is a directory or a file other than a tar archive.
func addSourceNotArchive(src string) bool {
	src = strings.Trim(src, `"'`)
	if src == "." || src == "./" || strings.HasSuffix(src, "/") {
		return true
	}
	ext := strings.ToLower(path.Ext(src))
	if ext == "" || itgIsArchive(src) || addOpaqueExt[ext] || strings.ContainsAny(ext, "*?[") {
		return false
	}
	return true
}
