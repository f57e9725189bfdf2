package rule

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Pass is what a rule's Check receives: the input model, the rule's
// settings, the clock, and a way to report.
//
// The framework does not know the input models: Input is whatever the rule
// package declares as its input (a parsed Dockerfile, a runtime project, a
// build context, a scanned image), and each rule package reads it through
// its own typed accessor. That keeps this package, and everything that
// depends on it, free of parsers, registry clients and network code.
type Pass struct {
	Ctx  context.Context
	Rule *Rule
	// Input is the model the rule checks, set by the engine.
	Input any
	// File is where findings are located when a rule names no file; Lines
	// are its source lines, from which findings take their snippet.
	File  string
	Lines []string
	// Now is the clock for time-dependent rules; tests fix it.
	Now time.Time
	// Settings holds the rule's configured values (defaults applied).
	Settings Settings
	// Memo is shared by every pass over the same input (see Memo); nil
	// when the pass was built by hand.
	Memo *Memo
	// NoFixes says the caller shows no repairs (lint's reports carry the
	// remedy text, never Finding.Fixes), so a rule may leave Fixes empty
	// rather than plan and verify edits nobody reads. Nothing else about
	// a finding may depend on it.
	NoFixes bool

	findings []Finding
}

// Reportf records a finding at r with a formatted message.
func (p *Pass) Reportf(r loc.Range, format string, args ...any) {
	p.Report(Finding{Message: fmt.Sprintf(format, args...), Location: Location{Range: r}})
}

// Report records a finding, filling the rule's defaults.
func (p *Pass) Report(f Finding) {
	f.RuleID = p.Rule.ID
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	if f.Remedy == "" {
		f.Remedy = firstSentence(p.Rule.Fix)
	}
	if f.File == "" && p.File != "" {
		f.File = p.File
		if f.Snippet == "" && f.Range.Line > 0 && f.Range.Line <= len(p.Lines) {
			f.Snippet = strings.TrimSpace(p.Lines[f.Range.Line-1])
		}
	}
	p.findings = append(p.findings, f)
}

// Findings returns what the pass collected.
func (p *Pass) Findings() []Finding { return p.findings }

// firstSentence returns the first sentence of a rule's Fix, the one-line
// remedy shown with each finding. A period inside `code`, or after an
// abbreviation such as "e.g.", does not end the sentence; a sentence that
// only introduces an example ("..., e.g." or "...:") loses that tail.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n"); i >= 0 {
		s = s[:i]
	}
	inCode := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			inCode = !inCode
		case '.', '!', '?':
			if inCode || (i+1 < len(s) && s[i+1] != ' ') {
				continue
			}
			word := s[strings.LastIndexAny(s[:i], " (")+1 : i]
			if abbreviation[strings.ToLower(word)] {
				continue
			}
			s = s[:i+1]
			i = len(s)
		}
	}
	for _, tail := range []string{", e.g.", ", for example:", " e.g.", ":", ", e.g.:"} {
		if strings.HasSuffix(s, tail) {
			s = strings.TrimSuffix(s, tail) + "."
		}
	}
	return s
}

// abbreviation lists words whose trailing period does not end a sentence.
var abbreviation = map[string]bool{"e.g": true, "i.e": true, "etc": true, "vs": true, "cf": true}

// Run executes one rule over a prepared pass. A panic inside the rule, or an
// error it returns, becomes a finding of that rule (severity high, at line
// 1) so that one broken rule never hides the results of the others.
func Run(p *Pass) (out []Finding) {
	defer func() {
		if r := recover(); r != nil {
			stack := string(debug.Stack())
			if i := strings.Index(stack, "panic("); i >= 0 {
				stack = stack[i:]
			}
			if len(stack) > 600 {
				stack = stack[:600]
			}
			out = append(p.findings, internalError(p, fmt.Sprintf("rule %s crashed on this file: %v (please report this bug)", p.Rule.ID, r)))
		}
	}()
	if err := p.Rule.Check(p); err != nil {
		return append(p.findings, internalError(p, fmt.Sprintf("rule %s could not run: %v", p.Rule.ID, err)))
	}
	return p.findings
}

func internalError(p *Pass, msg string) Finding {
	return Finding{RuleID: p.Rule.ID, Severity: High, Message: msg, Remedy: "report the crash with the input file", Location: Location{Range: loc.Line(1), File: p.File}}
}

// ReportAt records a finding at a position in a possibly different file (a
// compose override file, a context file).
func (p *Pass) ReportAt(file string, r loc.Range, format string, args ...any) {
	p.Report(Finding{Message: fmt.Sprintf(format, args...), Location: Location{File: file, Range: r}})
}
