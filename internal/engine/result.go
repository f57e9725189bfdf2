package engine

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Result is what one engine run (Lint, Image, SBOM) produced: the findings
// after the pipeline and everything a report, or a store, needs to present
// them. It is the one result type every caller reads.
type Result struct {
	// Findings are every finding after the pipeline, suppressed ones
	// included (they stay visible in JSON and SARIF).
	Findings []rule.Finding
	// Files are the inputs that were scanned: paths, image references.
	Files []string
	// Notifications are problems with the run rather than findings in an
	// input: an unreadable file, a capped layer, an expired ignore entry.
	Notifications []report.Notification
	// InputErrors counts inputs that could not be read; a run with any is
	// incomplete and exits 2.
	InputErrors int
	// Interrupted is set when the run was cancelled (SIGINT, SIGTERM, a
	// deadline) before every input was checked.
	Interrupted bool
	// NotAssessed says what the vulnerability scanner could not assess
	// ("no package database found"), so that an empty result never reads
	// as "no vulnerabilities"; empty when everything was assessed.
	NotAssessed string
	// ImageSource, for an image run given the Dockerfile it was built
	// from, maps history instructions to that file's lines.
	ImageSource *report.ImageSource
	// SBOM is the bill of materials of an SBOM run.
	SBOM *sbom.SBOM

	// lint keeps, for a lint run, what each input gave, so that Relint
	// re-lints only what a fix touched.
	lint *lintState
}

// Incomplete says why the run did not check everything it was asked to,
// "" when it did. An incomplete run never reports a pass.
func (r *Result) Incomplete() string {
	switch {
	case r.Interrupted:
		return "interrupted before every input was checked"
	case r.InputErrors == 1:
		return "1 input could not be read"
	case r.InputErrors > 1:
		return fmt.Sprintf("%d inputs could not be read", r.InputErrors)
	}
	return ""
}

func (r *Result) addError(file string, err error) {
	r.InputErrors++
	r.Notifications = append(r.Notifications, report.Notification{File: file, Message: err.Error(), Level: "error"})
}

func (r *Result) addWarning(file, msg string) {
	r.Notifications = append(r.Notifications, report.Notification{File: file, Message: msg, Level: "warning"})
}
