package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
)

var sevColor = map[rule.Severity]string{
	rule.Critical: "\x1b[1;35m", rule.High: "\x1b[1;31m", rule.Unknown: "\x1b[1;31m",
	rule.Medium: "\x1b[33m", rule.Low: "\x1b[36m", rule.Info: "\x1b[2m",
}

// writeText groups findings by file, one line each with `file:line:col`,
// severity, rule, message and a one-line fix, then a summary.
func writeText(w io.Writer, r *Report) error {
	c := func(code, s string) string {
		if !r.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	file := ""
	shown := 0
	for _, f := range r.Findings {
		if f.Suppression != nil {
			continue
		}
		if f.File != file {
			if file != "" {
				b.WriteByte('\n')
			}
			file = f.File
			b.WriteString(c(ansiBold, printable(file, false)) + "\n")
		}
		shown++
		where := printable(f.File, false) + ":" + f.Range.String()
		switch {
		case f.Vuln != nil:
			where = printable(vulnWhere(f), false)
		case f.Image != nil:
			where = printable(imageWhere(f.Image), false)
		}
		fmt.Fprintf(&b, "  %s  %s  %s  %s\n", where,
			c(sevColor[f.Severity], fmt.Sprintf("%-8s", f.Severity)), c(ansiBold, printable(f.RuleID, false)), printable(f.Message, true))
		if f.Remedy != "" {
			fmt.Fprintf(&b, "      %s\n", c(ansiDim, "fix: "+printable(f.Remedy, true)))
		}
		for _, x := range f.Related {
			fmt.Fprintf(&b, "      %s\n", c(ansiDim, fmt.Sprintf("also %s:%s %s: %s", printable(x.File, false), x.Range.String(), x.RuleID, printable(x.Message, true))))
		}
	}
	for _, n := range r.Notifications {
		where := n.File
		if where != "" {
			where += ": "
		}
		fmt.Fprintf(&b, "%s%s%s\n", c(sevColor[rule.High], n.Level+": "), printable(where, false), printable(n.Message, true))
	}
	if shown > 0 || len(r.Notifications) > 0 {
		b.WriteByte('\n')
	}
	counts := r.Counts()
	var parts []string
	for _, s := range rule.AllSeverities() {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	summary := "no findings"
	if len(parts) > 0 {
		summary = fmt.Sprintf("%d findings (%s)", shown, strings.Join(parts, ", "))
	}
	if r.NotAssessed != "" {
		summary += " (" + r.NotAssessed + ")"
	}
	fmt.Fprintf(&b, "%d file(s) scanned, %s", len(r.Files), summary)
	if n := r.suppressed(); n > 0 {
		fmt.Fprintf(&b, ", %d suppressed", n)
	}
	fail := r.Failing()
	switch {
	case r.Gate != 0 && fail > 0:
		fmt.Fprintf(&b, "; %s: %d at or above %s", c(sevColor[rule.High], "FAIL"), fail, r.Gate)
	case r.Gate != 0 && r.Incomplete == "":
		fmt.Fprintf(&b, "; pass (gate: %s)", r.Gate)
	}
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "; %s: %s", c(sevColor[rule.High], "INCOMPLETE"), r.Incomplete)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// imageWhere renders an image location as `image@layer N (instruction)
// path`, or `image (config)` for the configuration.
func imageWhere(l *rule.ImageLocation) string {
	var b strings.Builder
	b.WriteString(l.Image)
	if l.LayerIndex < 0 {
		b.WriteString(" (config")
		if l.Instruction != "" {
			b.WriteString(": " + shorten(l.Instruction, 60))
		}
		b.WriteString(")")
	} else {
		fmt.Fprintf(&b, "@layer %d", l.LayerIndex)
		if l.Instruction != "" {
			b.WriteString(" (" + shorten(l.Instruction, 60) + ")")
		}
	}
	if l.Path != "" {
		b.WriteString(" " + l.Path)
	}
	return b.String()
}

// vulnWhere renders a vulnerability finding's place as `pkg@version` and
// where the package was found: `image@layer N path`, or the SBOM document.
func vulnWhere(f rule.Finding) string {
	pkg := f.Vuln.Package + "@" + f.Vuln.Version
	if f.Image == nil {
		return pkg + " " + f.File
	}
	l := f.Image
	var b strings.Builder
	b.WriteString(pkg + " " + l.Image)
	if l.LayerIndex >= 0 {
		fmt.Fprintf(&b, "@layer %d", l.LayerIndex)
	}
	if l.Path != "" {
		b.WriteString(" " + l.Path)
	}
	return b.String()
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
