package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1000 turns every parse error in the model into a finding, so that a
// broken Dockerfile is reported at the line the parser names while the rest
// of the file is still checked.
var DF1000 = &rule.Rule{
	ID:       "DF1000",
	Slug:     "invalid-dockerfile",
	Title:    "Dockerfile cannot be parsed",
	Severity: rule.High,
	Category: rule.CatMeta,
	Rationale: "BuildKit refuses to build a Dockerfile with a syntax error, an unknown instruction or a malformed flag, " +
		"so the image this file describes cannot be produced. Every other rule still runs on the instructions that did parse.",
	Fix:        "Correct the instruction at the reported line; `docker build --check .` shows the same error.",
	Bad:        "FROM alpine:3.20\nRUNN echo hello",
	Good:       "FROM alpine:3.20\nRUN echo hello",
	References: []string{"https://docs.docker.com/reference/dockerfile/"},
	Check: func(p *rule.Pass) error {
		for _, e := range fileOf(p).Errors {
			p.Reportf(e.Range, "%s", e.Message)
		}
		return nil
	},
}
