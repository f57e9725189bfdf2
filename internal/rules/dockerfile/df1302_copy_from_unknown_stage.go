package dockerfile

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/suggest"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1302 reports `COPY --from` and `RUN --mount=from=` values that cannot
// mean what the author intended: the stage's own name or index, a stage
// defined later, an index past the last stage, or a bare word that names no
// stage and is no official image, which BuildKit would try to pull as
// docker.io/library/NAME:latest (usually a typo of a stage name).
var DF1302 = &rule.Rule{
	ID:       "DF1302",
	Slug:     "copy-from-unknown-stage",
	Title:    "COPY --from names an unknown, later or the same stage",
	Severity: rule.High,
	Category: rule.CatMultiStage,
	Rationale: "`--from` takes a stage name, a stage index or an image reference, and BuildKit silently falls back " +
		"to the last reading: a misspelt stage name becomes a pull of docker.io/library/<name>:latest, which fails at " +
		"best and at worst fetches an unrelated public image whose files end up in yours. A stage cannot copy from " +
		"itself, and referring to a later stage or an index that does not exist makes the build fail or depend on " +
		"whatever image happens to carry that name.",
	Levels: []rule.Level{{Severity: rule.Medium, When: "for a bare word that names no stage, which BuildKit pulls as an " +
		"image unless the build passes a build context of that name"}},
	Fix: "Point --from at an earlier stage's exact name (or index), or at a full image reference with a tag or digest. " +
		"Define the stage before the instruction that copies from it.",
	Bad:   "FROM golang:1.23 AS builder\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=biulder /out/app /app",
	Good:  "FROM golang:1.23 AS builder\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=builder /out/app /app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3022"}, {Tool: "hadolint", ID: "DL3023"}, {Tool: "trivy", ID: "DS-0006"}, {Tool: "kics", ID: "cdddb86f-95f6-4fc4-b5a1-483d9afceb2b"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#copy---from",
		"https://github.com/hadolint/hadolint/wiki/DL3022",
		"https://github.com/hadolint/hadolint/wiki/DL3023",
	},
	Check: checkCopyFromUnknownStage,
}

func checkCopyFromUnknownStage(p *rule.Pass) error {
	f := fileOf(p)
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			if cp, ok := in.Command.(*instructions.CopyCommand); ok && cp.From != "" {
				stsCheckFrom(p, in, "COPY --from", cp.From, in.Locate("--from"))
			}
			if in.Script != nil {
				for _, m := range in.Script.Mounts {
					if m.From != "" {
						stsCheckFrom(p, in, "RUN --mount from", m.From, in.Locate("from="))
					}
				}
			}
		}
	}
	return nil
}

// stsCheckFrom judges one --from value. raw is the value as written; it is
// expanded against the instruction's ARG/ENV.
func stsCheckFrom(p *rule.Pass, in *df.Instruction, what, raw string, at loc.Range) {
	f := fileOf(p)
	ref, unmatched := in.Expand(raw)
	if len(unmatched) > 0 || ref == "" || strings.Contains(ref, "$") {
		return
	}
	cur := in.Stage
	shown := fmt.Sprintf("%s=%s", what, raw)
	if ref != raw {
		shown = fmt.Sprintf("%s=%s (%s)", what, raw, ref)
	}
	target, idx, numeric := f.StageByRef(ref)
	switch {
	case target == cur:
		p.Reportf(at, "%s refers to its own stage %s; a stage cannot copy from itself", shown, cur.Label())
	case target != nil && idx > cur.Index:
		p.Reportf(at, "%s refers to stage %s, which is defined later (line %d); only earlier stages can be copied from",
			shown, target.Label(), target.From.Range.Line)
	case target == nil && numeric:
		p.Reportf(at, "%s is out of range: the file has %d stage(s), numbered from 0", shown, len(f.Stages))
	case target == nil:
		if strings.ContainsAny(ref, "/:@.") || officialImages[strings.ToLower(ref)] || strings.EqualFold(ref, "scratch") {
			return
		}
		hint := ""
		best := 3
		for _, s := range f.Stages {
			if s.Name == "" {
				continue
			}
			if d := suggest.Distance(strings.ToLower(ref), s.Name); d < best {
				best, hint = d, fmt.Sprintf(" (did you mean stage %q?)", s.NameAsWritten)
				if s.NameAsWritten == "" {
					hint = fmt.Sprintf(" (did you mean stage %q?)", s.Name)
				}
			}
		}
		p.Report(rule.Finding{Severity: rule.Medium, Message: fmt.Sprintf(
			"%s names no stage%s; BuildKit will pull it as the image docker.io/library/%s:latest unless a build context of that name is passed",
			shown, hint, strings.ToLower(ref)), Location: rule.Location{Range: at}})
	}
}
