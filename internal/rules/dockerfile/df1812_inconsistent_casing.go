package dockerfile

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1812 flags instruction keywords whose casing differs from the rest of
// the file, following `docker build --check`: keywords written all upper or
// all lower case vote, the majority wins (upper case on a tie), and every
// keyword not in that casing is reported, mixed case (`From`) always. It
// also flags `FROM image as name` / `from image AS name`, where the AS
// keyword does not match the casing of its FROM.
var DF1812 = &rule.Rule{
	ID:       "DF1812",
	Slug:     "inconsistent-casing",
	Title:    "Instruction keywords use inconsistent casing",
	Severity: rule.Info,
	Category: rule.CatCorrectness,
	Rationale: "Keywords are case-insensitive to the builder, but a file that mixes `RUN` and `run` is harder to scan and to " +
		"search (grep for `^COPY` misses `copy`), and mixed casing is a common sign of blocks pasted from elsewhere without " +
		"review. One casing across the file keeps reviews and tooling simple.",
	Fix:   "Write every instruction keyword, and the AS of FROM, in the casing most of the file uses (conventionally upper case).",
	Bad:   "FROM alpine:3.20 as build\nrun echo hi\nCOPY . /src",
	Good:  "FROM alpine:3.20 AS build\nRUN echo hi\nCOPY . /src",
	Peers: []rule.Peer{{Tool: "buildkit", ID: "ConsistentInstructionCasing"}, {Tool: "buildkit", ID: "FromAsCasing"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/consistent-instruction-casing/",
		"https://docs.docker.com/reference/build-checks/from-as-casing/",
	},
	Check: checkInconsistentCasing,
}

func checkInconsistentCasing(p *rule.Pass) error {
	f := fileOf(p)
	lower, upper := 0, 0
	for _, in := range f.Instructions {
		if in.Stage == nil {
			continue // BuildKit does not count ARGs before the first FROM
		}
		kw := in.KeywordAsWritten
		switch kw {
		case strings.ToLower(kw):
			lower++
		case strings.ToUpper(kw):
			upper++
		}
	}
	majorityLower := lower > upper
	want := "upper case"
	if majorityLower {
		want = "lower case"
	}
	for _, in := range f.Instructions {
		if in.Stage == nil {
			continue
		}
		kw := in.KeywordAsWritten
		if (majorityLower && kw != strings.ToLower(kw)) || (!majorityLower && kw != strings.ToUpper(kw)) {
			p.Reportf(in.Start(), "%s should be written in %s like most instructions of this file", kw, want)
		}
		if in.Keyword == "FROM" && len(in.Args) >= 3 && strings.EqualFold(in.Args[1], "as") {
			as := in.Args[1]
			isLower, isUpper := kw == strings.ToLower(kw), kw == strings.ToUpper(kw)
			if (isLower && as != strings.ToLower(as)) || (isUpper && as != strings.ToUpper(as)) {
				r := in.Locate(" " + as + " ")
				if r.EndCol > 0 {
					r = loc.Range{Line: r.Line, Col: r.Col + 1, EndLine: r.Line, EndCol: r.EndCol - 1}
				} else {
					r = in.Start()
				}
				p.Reportf(r, "%q does not match the casing of %q; write %q", as, kw, casedLike(as, isLower))
			}
		}
	}
	return nil
}

func casedLike(s string, lower bool) string {
	if lower {
		return strings.ToLower(s)
	}
	return strings.ToUpper(s)
}
