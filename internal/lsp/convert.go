package lsp

import (
	"strings"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// diagnostic is a finding as an LSP diagnostic: zero-based positions with
// characters counted in UTF-16 code units (the protocol's default), the
// rule id as code with its documentation link, the level as severity.
func diagnostic(text string, f rule.Finding) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:    findingRange(text, f),
		Severity: severity(f.Severity),
		Code:     f.RuleID,
		Source:   "shipshape",
		Message:  f.Message,
	}
	if f.Remedy != "" {
		d.Message += "\nfix: " + f.Remedy
	}
	if strings.HasPrefix(f.RuleID, "DF") || strings.HasPrefix(f.RuleID, "RT") || strings.HasPrefix(f.RuleID, "CX") {
		d.CodeDescription = &protocol.CodeDescription{Href: protocol.URI("https://github.com/shipshape-sec/shipshape/blob/main/docs/rules/" + f.RuleID + ".md")}
	}
	return d
}

func severity(s rule.Severity) protocol.DiagnosticSeverity {
	switch s {
	case rule.Critical, rule.High, rule.Unknown:
		return protocol.DiagnosticSeverityError
	case rule.Medium:
		return protocol.DiagnosticSeverityWarning
	case rule.Low:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// findingRange is a finding's range in the document: its byte offsets when
// the engine gave them, else its lines (a whole line when it has no
// columns).
func findingRange(text string, f rule.Finding) protocol.Range {
	r := f.Range.Normalized()
	if r.EndOffset > 0 {
		return protocol.Range{Start: position(text, r.Offset), End: position(text, r.EndOffset)}
	}
	line := max(r.Line-1, 0)
	return protocol.Range{Start: protocol.Position{Line: uint32(line)}, End: protocol.Position{Line: uint32(line + 1)}}
}

// position turns a byte offset of text into a line and a UTF-16 character.
func position(text string, off int) protocol.Position {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line := strings.Count(before, "\n")
	start := strings.LastIndexByte(before, '\n') + 1
	return protocol.Position{Line: uint32(line), Character: uint32(utf16Len(before[start:]))}
}

// utf16Len counts the UTF-16 code units of s.
func utf16Len(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		s = s[size:]
	}
	return n
}

// codeActions offers, for every finding of the document at the requested
// range that carries fixes, each fix as a quick fix editing the document.
// Fixes that edit another file (a new .dockerignore) are left to `shipshape
// fix`.
func (s *Server) codeActions(p protocol.CodeActionParams) []protocol.CodeAction {
	s.mu.Lock()
	doc := s.docs[p.TextDocument.URI]
	s.mu.Unlock()
	out := []protocol.CodeAction{}
	if doc == nil {
		return out
	}
	for _, f := range doc.findings {
		fr := findingRange(doc.text, f)
		if !overlaps(fr, p.Range) {
			continue
		}
		for _, fx := range f.Fixes {
			if fx.Level == rule.FixSuggest {
				continue
			}
			var edits []protocol.TextEdit
			for _, e := range fx.Edits {
				if e.File != doc.path {
					edits = nil
					break
				}
				edits = append(edits, protocol.TextEdit{Range: protocol.Range{Start: position(doc.text, e.Start), End: position(doc.text, e.End)}, NewText: e.New})
			}
			if len(edits) == 0 {
				continue
			}
			title := fx.Title
			if fx.Level == rule.FixReview {
				title += " (review: may change behaviour)"
			}
			out = append(out, protocol.CodeAction{
				Title: f.RuleID + ": " + title, Kind: protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{diagnostic(doc.text, f)},
				IsPreferred: fx.Level == rule.FixSafe,
				Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{p.TextDocument.URI: edits}},
			})
		}
	}
	return out
}

// overlaps reports whether two ranges share a position (touching counts,
// so a cursor at a finding's edge still offers its fixes).
func overlaps(a, b protocol.Range) bool {
	before := func(x, y protocol.Position) bool {
		return x.Line < y.Line || x.Line == y.Line && x.Character < y.Character
	}
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}
