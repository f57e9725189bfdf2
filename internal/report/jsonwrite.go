package report

import (
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// writeReportJSON writes the report as encoding/json's Encoder with
// SetIndent("", "  ") writes it, byte for byte. A lint of a large tree has
// tens of thousands of findings, and reflecting over each, then indenting
// the whole document in a second pass, was the largest step of a lint run
// that no second core could share. Findings, the bulk, are written here,
// and a large report's are cut into parts encoded at once, one per core;
// every other part goes through encoding/json at its depth, and so does
// any rare part of a finding (image, suppression, vulnerability, container).
// TestJSONWriterMatchesEncoder holds the two together.
func writeReportJSON(w io.Writer, r *jsonReport) error {
	// The document is written in pieces of about 64 KiB: one buffer for
	// all of it would be copied again each time it grew.
	b := make([]byte, 0, 80<<10)
	var err error
	flush := func() {
		if err == nil && len(b) > 0 {
			_, err = w.Write(b)
		}
		b = b[:0]
	}
	b = append(b, "{\n  \"schemaVersion\": "...)
	b = appendJSONString(b, r.SchemaVersion)
	b = append(b, ",\n  \"tool\": "...)
	if b, err = appendIndented(b, r.Tool, "  "); err != nil {
		return err
	}
	b = append(b, ",\n  \"complete\": "...)
	b = strconv.AppendBool(b, r.Complete)
	b = append(b, ",\n  \"summary\": "...)
	if b, err = appendIndented(b, r.Summary, "  "); err != nil {
		return err
	}
	b = append(b, ",\n  \"findings\": "...)
	switch {
	case r.Findings == nil:
		b = append(b, "null"...)
	case len(r.Findings) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		// The findings past the first part are encoded meanwhile on the
		// other cores, each part into its own buffer, and written after
		// the first in order.
		parts := splitFindings(r.Findings, runtime.GOMAXPROCS(0))
		rest := make([]chan findingsPart, len(parts)-1)
		for k := range rest {
			rest[k] = make(chan findingsPart, 1)
			go func() {
				// Pieces of about 64 KiB, as the first part writes: one
				// buffer would be copied again each time it grew.
				var p findingsPart
				last, err := appendFindings(make([]byte, 0, 80<<10), parts[k+1], false, func(full []byte) ([]byte, error) {
					p.pieces = append(p.pieces, full)
					return make([]byte, 0, 80<<10), nil
				})
				p.pieces, p.err = append(p.pieces, last), err
				rest[k] <- p
			}()
		}
		var ferr error
		b, ferr = appendFindings(b, parts[0], true, func(full []byte) ([]byte, error) {
			if err == nil {
				_, err = w.Write(full)
			}
			return full[:0], err
		})
		for _, c := range rest {
			// Every goroutine is waited for, whatever went wrong.
			p := <-c
			if ferr == nil && p.err != nil {
				ferr = p.err
			}
			if ferr == nil {
				flush()
				for _, piece := range p.pieces {
					if err == nil {
						_, err = w.Write(piece)
					}
				}
			}
		}
		if ferr != nil {
			return ferr
		}
		if err != nil {
			return err
		}
		b = append(b, "\n  ]"...)
	}
	b = append(b, ",\n  \"notifications\": "...)
	if b, err = appendIndented(b, r.Notifications, "  "); err != nil {
		return err
	}
	b = append(b, "\n}\n"...)
	flush()
	return err
}

// minFindingsPart is the fewest findings worth a goroutine of their own:
// encoding one takes about two microseconds.
const minFindingsPart = 2048

type findingsPart struct {
	pieces [][]byte
	err    error
}

// splitFindings cuts fs into at most n contiguous parts of at least
// minFindingsPart findings each (one part when fs is smaller).
func splitFindings(fs []jsonFinding, n int) [][]jsonFinding {
	n = max(1, min(n, len(fs)/minFindingsPart))
	parts := make([][]jsonFinding, 0, n)
	for k := range n {
		parts = append(parts, fs[k*len(fs)/n:(k+1)*len(fs)/n])
	}
	return parts
}

// appendFindings appends fs as elements of the findings array, first
// saying whether fs[0] opens it (no comma before it). flush, when set, is
// given b whenever it holds 64 KiB or more, and returns the buffer to go
// on with.
func appendFindings(b []byte, fs []jsonFinding, first bool, flush func([]byte) ([]byte, error)) ([]byte, error) {
	for i := range fs {
		if i > 0 || !first {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		var err error
		if b, err = appendFinding(b, &fs[i]); err != nil {
			return nil, err
		}
		if flush != nil && len(b) >= 64<<10 {
			if b, err = flush(b); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

// findingIndent is the indentation of a finding's fields: findings are at
// depth 2, their fields at depth 3.
const findingIndent = "\n      "

// appendFinding writes one finding, its fields in declaration order with
// their omitempty rules, as encoding/json would at depth 2.
func appendFinding(b []byte, f *jsonFinding) ([]byte, error) {
	var err error
	str := func(name, v string) {
		b = append(b, ',')
		b = append(b, findingIndent...)
		b = append(b, name...)
		b = appendJSONString(b, v)
	}
	num := func(name string, v int) {
		b = append(b, ',')
		b = append(b, findingIndent...)
		b = append(b, name...)
		b = strconv.AppendInt(b, int64(v), 10)
	}
	obj := func(name string, v any) {
		if err != nil {
			return
		}
		b = append(b, ',')
		b = append(b, findingIndent...)
		b = append(b, name...)
		b, err = appendIndented(b, v, "      ")
	}
	b = append(b, '{')
	b = append(b, findingIndent...)
	b = append(b, `"ruleId": `...)
	b = appendJSONString(b, f.RuleID)
	str(`"severity": `, f.Severity)
	str(`"title": `, f.Title)
	str(`"message": `, f.Message)
	if f.Fix != "" {
		str(`"fix": `, f.Fix)
	}
	str(`"file": `, f.File)
	num(`"line": `, f.Line)
	if f.Column != 0 {
		num(`"column": `, f.Column)
	}
	if f.EndLine != 0 {
		num(`"endLine": `, f.EndLine)
	}
	if f.EndColumn != 0 {
		num(`"endColumn": `, f.EndColumn)
	}
	if f.Offset != nil {
		num(`"offset": `, *f.Offset)
	}
	if f.EndOffset != 0 {
		num(`"endOffset": `, f.EndOffset)
	}
	if f.HelpURI != "" {
		str(`"helpUri": `, f.HelpURI)
	}
	str(`"fingerprint": `, f.Fingerprint)
	if f.Suppressed != nil {
		obj(`"suppressed": `, f.Suppressed)
	}
	if f.Image != nil {
		obj(`"image": `, f.Image)
	}
	if len(f.Related) > 0 {
		obj(`"related": `, f.Related)
	}
	if f.Container != nil {
		obj(`"container": `, f.Container)
	}
	if f.Vulnerability != nil {
		obj(`"vulnerability": `, f.Vulnerability)
	}
	if err != nil {
		return nil, err
	}
	return append(b, "\n    }"...), nil
}

// appendIndented appends v as encoding/json writes it nested at the depth
// whose indentation is prefix.
func appendIndented(b []byte, v any, prefix string) ([]byte, error) {
	x, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return nil, err
	}
	return append(b, x...), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with its default HTML
// escaping: <, > and & as \u003c, \u003e and \u0026, control characters
// as \n, \r, \t, \b, \f or \u00XX, invalid UTF-8 as \ufffd, and U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
