// Package ruledoc renders rule values as documentation: the terminal text
// of `shipshape explain`, the Markdown pages under docs/rules/ and the JSON
// of `shipshape rules --format json`. All three come from the same
// rule.Rule value, so they cannot drift apart.
package ruledoc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Summary is the JSON shape of one rule in `shipshape rules --format json`.
type Summary struct {
	ID         string         `json:"id"`
	Slug       string         `json:"slug"`
	Title      string         `json:"title"`
	Severity   string         `json:"severity"`
	Category   string         `json:"category"`
	Peers      []rule.Peer    `json:"peers"`
	HelpURI    string         `json:"helpUri"`
	Levels     []rule.Level   `json:"levels,omitempty"`
	Settings   []rule.Setting `json:"settings,omitempty"`
	References []string       `json:"references"`
}

// Summarize builds the JSON summary of a rule.
func Summarize(r *rule.Rule) Summary {
	peers := r.Peers
	if peers == nil {
		peers = []rule.Peer{}
	}
	return Summary{ID: r.ID, Slug: r.Slug, Title: r.Title, Severity: r.Severity.String(), Category: string(r.Category),
		Peers: peers, HelpURI: r.HelpURI(), Levels: r.Levels, Settings: r.Settings, References: r.References}
}

// severityLine is a rule's severity with the cases that carry another:
// "high; medium when the service sets no user".
func severityLine(r *rule.Rule) string {
	parts := []string{r.Severity.String()}
	for _, l := range r.Levels {
		parts = append(parts, l.Severity.String()+" "+l.When)
	}
	return strings.Join(parts, "; ")
}

// peerLine groups peers by tool: "hadolint DL3002; trivy DS-0002".
func peerLine(r *rule.Rule) string {
	byTool := map[string][]string{}
	var tools []string
	for _, p := range r.Peers {
		if _, ok := byTool[p.Tool]; !ok {
			tools = append(tools, p.Tool)
		}
		byTool[p.Tool] = append(byTool[p.Tool], p.ID)
	}
	sort.Strings(tools)
	var parts []string
	for _, t := range tools {
		parts = append(parts, t+" "+strings.Join(byTool[t], ", "))
	}
	return strings.Join(parts, "; ")
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}

// Text renders a rule for the terminal.
func Text(r *rule.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  (%s, %s)\n\n", r.ID, r.Title, r.Severity, r.Category)
	if len(r.Levels) > 0 {
		fmt.Fprintf(&b, "Severity:\n%s\n\n", indent(wrap(severityLine(r), 76), "  "))
	}
	fmt.Fprintf(&b, "Why:\n%s\n\n", indent(wrap(r.Rationale, 76), "  "))
	fmt.Fprintf(&b, "Bad:\n%s\n\nGood:\n%s\n\n", indent(r.Bad, "    "), indent(r.Good, "    "))
	fmt.Fprintf(&b, "Fix:\n%s\n", indent(wrap(r.Fix, 76), "  "))
	if len(r.Settings) > 0 {
		b.WriteString("\nSettings (.shipshape.yaml, under rules." + r.ID + "):\n")
		for _, s := range r.Settings {
			def := ""
			if s.Default != nil {
				def = fmt.Sprintf(" (default %v)", s.Default)
			}
			fmt.Fprintf(&b, "  %s: %s%s\n%s\n", s.Name, s.Type, def, indent(wrap(s.Doc, 72), "      "))
		}
	}
	if pl := peerLine(r); pl != "" {
		fmt.Fprintf(&b, "\nSame check elsewhere: %s\n", pl)
	}
	b.WriteString("\nReferences:\n")
	for _, ref := range append(append([]string(nil), r.References...), r.HelpURI()) {
		fmt.Fprintf(&b, "  %s\n", ref)
	}
	return b.String()
}

// Markdown renders the docs/rules/<ID>.md page of a rule.
func Markdown(r *rule.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Title)
	b.WriteString("<!-- Generated from the rule value by `go test ./internal/ruledoc -update`; do not edit. -->\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n| Severity | %s |\n| Category | %s |\n| Slug | `%s` |\n", severityLine(r), r.Category, r.Slug)
	if pl := peerLine(r); pl != "" {
		fmt.Fprintf(&b, "| Peers | %s |\n", pl)
	}
	fmt.Fprintf(&b, "\n## Why\n\n%s\n\n", r.Rationale)
	lang := fenceLang(r)
	fmt.Fprintf(&b, "## Bad\n\n```%s\n%s\n```\n\n## Good\n\n```%s\n%s\n```\n\n", lang, r.Bad, lang, r.Good)
	fmt.Fprintf(&b, "## Fix\n\n%s\n\n", r.Fix)
	if len(r.Settings) > 0 {
		fmt.Fprintf(&b, "## Settings\n\nIn `.shipshape.yaml`:\n\n```yaml\nversion: 1\nrules:\n  %s:\n", r.ID)
		for _, s := range r.Settings {
			fmt.Fprintf(&b, "    %s: %s\n", s.Name, yamlExample(s))
		}
		b.WriteString("```\n\n| Setting | Type | Default | Meaning |\n|---|---|---|---|\n")
		for _, s := range r.Settings {
			def := ""
			if s.Default != nil {
				def = fmt.Sprintf("`%v`", s.Default)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Name, s.Type, def, s.Doc)
		}
		b.WriteString("\n")
	}
	if auditOnly(r) {
		// Audit findings have no source line to comment: the ignore file
		// or the configuration suppresses them.
		fmt.Fprintf(&b, "## Suppress\n\nThis rule only fires in `shipshape audit`. In `.shipshapeignore.yaml`:\n\n```yaml\n- id: %s\n  reason: <reason>\n```\n\n", r.ID)
	} else {
		fmt.Fprintf(&b, "## Suppress\n\n```%s\n# shipshape ignore=%s -- <reason>\n```\n\n", lang, r.ID)
	}
	b.WriteString("## References\n\n")
	for _, ref := range r.References {
		fmt.Fprintf(&b, "- <%s>\n", ref)
	}
	return b.String()
}

// auditOnly reports whether a rule only fires in shipshape audit: the
// RT11xx (live container) and RT12xx (daemon) ranges, by the id ranges
// docs/audit.md fixes.
func auditOnly(r *rule.Rule) bool {
	return strings.HasPrefix(r.ID, "RT11") || strings.HasPrefix(r.ID, "RT12")
}

// fenceLang is the Markdown code-fence language of a rule's examples.
func fenceLang(r *rule.Rule) string {
	if auditOnly(r) {
		return "text"
	}
	switch r.Kind() {
	case "runtime":
		return "yaml"
	case "context", "image":
		return "text"
	}
	return "dockerfile"
}

func yamlExample(s rule.Setting) string {
	switch s.Type {
	case "strings":
		if v, ok := s.Default.([]string); ok && len(v) > 0 {
			return "[" + strings.Join(v, ", ") + "]"
		}
		return "[]"
	case "bool":
		if s.Default == nil {
			return "false"
		}
	case "int":
		if s.Default == nil {
			return "0"
		}
	case "string":
		if s.Default == nil {
			return `""`
		}
	}
	return fmt.Sprint(s.Default)
}

// Index renders docs/rules/README.md: every rule in a table.
func Index(rules []*rule.Rule) string {
	var b strings.Builder
	b.WriteString("# Rules\n\n<!-- Generated from the rule values by `go test ./internal/ruledoc -update`; do not edit. -->\n\n")
	fmt.Fprintf(&b, "%d rules. `shipshape rules` lists them, `shipshape explain ID` shows one.\n\n", len(rules))
	b.WriteString("| ID | Severity | Category | Title | Peers |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Severity, r.Category, r.Title, peerLine(r))
	}
	return b.String()
}

// wrap breaks text at width on spaces, keeping existing newlines.
func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			if line != "" && len(line)+1+len(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
