package dockerfile

import (
	"path"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1304 reports `COPY --from=X / ...` where X is a stage or image with a
// whole operating system in it: the copy drags the builder's toolchain,
// sources, caches and package databases into the target and undoes the
// point of a multi-stage build. Stages built FROM scratch (artefact export
// stages) and images of unknown content are not reported, because copying
// their root is the usual way to collect artefacts.
var DF1304 = &rule.Rule{
	ID:       "DF1304",
	Slug:     "copy-whole-filesystem",
	Title:    "COPY --from copies a whole filesystem",
	Severity: rule.Medium,
	Category: rule.CatMultiStage,
	Rationale: "Copying `/` from a stage built on an operating-system image brings everything that stage contains: " +
		"compilers, source code, package caches, credentials used during the build, and a second copy of system " +
		"files that may overwrite the target's. The final image grows, its contents no longer match its package " +
		"database, so scanners miss what is inside, and secrets the builder touched can leak. Copying named " +
		"artefacts keeps the final stage reviewable.",
	Fix: "Copy only the paths the final stage needs (COPY --from=build /out/app /usr/local/bin/app), " +
		"or collect the artefacts in a `FROM scratch` export stage and copy that stage's root.",
	Bad:   "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y build-essential && make\n\nFROM debian:12-slim\nCOPY --from=build / /",
	Good:  "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y build-essential && make\n\nFROM debian:12-slim\nCOPY --from=build /src/out/app /usr/local/bin/app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3067"}},
	References: []string{
		"https://docs.docker.com/build/building/multi-stage/",
		"https://docs.docker.com/reference/dockerfile/#copy---from",
	},
	Check: checkCopyWholeFilesystem,
}

func checkCopyWholeFilesystem(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		for _, in := range st.Instructions {
			cp, ok := in.Command.(*instructions.CopyCommand)
			if !ok || cp.From == "" {
				continue
			}
			root := ""
			for _, src := range cp.SourcePaths {
				s, _ := in.Expand(src)
				if c := path.Clean("/" + s); c == "/" && (s == "/" || s == "/." || s == "." || s == "./" || s == "/*") {
					root = src
					break
				}
			}
			if root == "" {
				continue
			}
			ref, unmatched := in.Expand(cp.From)
			if len(unmatched) > 0 || ref == "" {
				continue
			}
			desc, full := stsFullFilesystem(fileOf(p), in, ref)
			if !full {
				continue
			}
			p.Reportf(in.Start(), "COPY --from=%s %s copies the whole filesystem of %s into %s; copy only the artefacts you need",
				cp.From, root, desc, cp.DestPath)
		}
	}
	return nil
}

// stsFullFilesystem reports whether a --from value names something whose
// root holds an operating system: a stage (or its bases) that runs RUN
// steps, or that is built on a known OS or language image; or such an
// image itself. desc describes it for the message.
func stsFullFilesystem(f *df.File, in *df.Instruction, ref string) (desc string, full bool) {
	st, _, numeric := f.StageByRef(ref)
	if st == nil {
		if numeric {
			return "", false
		}
		name := imageName(ref)
		if officialImages[name] {
			return "image " + ref, true
		}
		return "", false
	}
	if st == in.Stage {
		return "", false
	}
	desc = "stage " + st.Label()
	if st.IsScratch() {
		return "", false
	}
	for _, s := range st.Chain() {
		if len(s.ByKeyword("RUN")) > 0 {
			return desc, true
		}
	}
	root := st.Root()
	if officialImages[imageName(root.Base)] {
		return desc + " (" + root.Base + ")", true
	}
	return "", false
}
