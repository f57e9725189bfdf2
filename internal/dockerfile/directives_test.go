package dockerfile

import (
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestMayHaveDirectives checks the guard in front of BuildKit's
// DetectSyntax and ParseDirective: it must say yes for every input where
// either finds something (the inputs include each form of directive, a
// BOM, a shebang, JSON, leading blank lines and white space), and no for
// plain Dockerfiles, whose scans it saves.
func TestMayHaveDirectives(t *testing.T) {
	inputs := []string{
		"", "\n", "FROM alpine\n", "# syntax=docker/dockerfile:1\nFROM a\n", "#syntax = x\n",
		"# check=skip=all\nFROM a\n", "# escape=`\nFROM a\n", "// syntax=x\nFROM a\n", "//check=skip=all\n",
		"/ syntax=x\n", " # syntax=x\n", "\n# syntax=x\n", "\t# syntax=x\n",
		"\xEF\xBB\xBF# syntax=x\nFROM a\n", "\xEF\xBB\xBFFROM a\n", "#!/usr/bin/env docker\n# syntax=x\n",
		"#!/bin/sh\nFROM a\n", "#!x\n// syntax=y\n", "#!x", "#!x\n", "\xEF\xBB\xBF#!x\n# check=error=true\n",
		`{"syntax": "docker/dockerfile:1"}`, " \n\t{\"syntax\": \"x\", \"check\": \"y\"}", "\r\n{\"syntax\": \"x\"}",
		"\v{\"syntax\": \"x\"}", "\u00a0{\"syntax\": \"x\"}", "[{\"syntax\": \"x\"}]", "{\"syntax\": 1}",
		"ARG X\n# syntax=x\n", "#\n# syntax=x\n", "# comment\n# syntax=x\n", "# syntax=x\r\nFROM a\r\n",
		"\r\n# syntax=x\n", "\xEF\xBB\xBF\xEF\xBB\xBF# syntax=x\n", "#!x\r\n# syntax=y\n",
	}
	found := 0
	for _, in := range inputs {
		src := []byte(in)
		_, _, _, syntaxOK := parser.DetectSyntax(src)
		_, _, _, checkOK := parser.ParseDirective("check", src)
		if syntaxOK || checkOK {
			found++
			if !mayHaveDirectives(src) {
				t.Errorf("%q: BuildKit finds a directive (syntax %v, check %v), the guard says none", in, syntaxOK, checkOK)
			}
		}
	}
	if found < 10 {
		t.Fatalf("only %d inputs with a directive: the test checks nothing", found)
	}
	for _, in := range []string{"FROM alpine\n", "ARG X\nFROM a\n", "\nFROM a\n", "\xEF\xBB\xBFFROM a\n", "#!/bin/sh\nFROM a\n", " FROM a\n"} {
		if mayHaveDirectives([]byte(in)) {
			t.Errorf("%q: the guard lets BuildKit scan a file without directives", in)
		}
	}
}

// FuzzMayHaveDirectives: wherever the guard says no, BuildKit finds no
// syntax or check directive.
func FuzzMayHaveDirectives(f *testing.F) {
	for _, s := range []string{"# syntax=x\n", "#!x\n// check=y\n", " {\"syntax\":\"x\"}", "FROM a\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if mayHaveDirectives(src) {
			return
		}
		if _, _, _, ok := parser.DetectSyntax(src); ok {
			t.Errorf("%q: DetectSyntax finds a syntax directive, the guard says none", src)
		}
		if _, _, _, ok := parser.ParseDirective("check", src); ok {
			t.Errorf("%q: ParseDirective finds a check directive, the guard says none", src)
		}
	})
}
