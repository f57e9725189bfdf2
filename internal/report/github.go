package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// writeGitHub emits GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request.
func writeGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		if f.Suppression != nil {
			continue
		}
		level := "notice"
		sev := r.gateSeverity(f.Severity)
		switch {
		case sev.AtLeast(rule.High):
			level = "error"
		case sev == rule.Medium:
			level = "warning"
		}
		rg := f.Range.Normalized()
		file := f.File
		if f.Image != nil {
			var line int
			file, line = r.imagePlace(f)
			rg.Line, rg.EndLine, rg.Col = line, line, 0
		}
		if rg.Line < 1 { // a finding located at a whole file (an SBOM document)
			rg.Line, rg.EndLine = 1, 1
		}
		props := fmt.Sprintf("file=%s,line=%d,endLine=%d", ghProp(file), rg.Line, rg.EndLine)
		if rg.Col > 0 {
			props += fmt.Sprintf(",col=%d", rg.Col)
		}
		props += ",title=" + ghProp(f.RuleID+" "+r.findingTitle(f))
		msg := f.Message
		if f.Remedy != "" {
			msg += "\nfix: " + f.Remedy
		}
		for _, x := range f.Related {
			msg += fmt.Sprintf("\nalso line %d %s: %s", x.Range.Line, x.RuleID, x.Message)
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", level, props, ghData(msg))
	}
	for _, n := range r.Notifications {
		fmt.Fprintf(&b, "::error file=%s::%s\n", ghProp(n.File), ghData(n.Message))
	}
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "::error title=shipshape run incomplete::%s\n", ghData("the run is incomplete: "+r.Incomplete+"; its findings are not a verdict"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message; other control characters
// are made printable first, since the runner's log shows them.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(printable(s, true))
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(printable(s, false))
}
