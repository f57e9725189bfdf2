package dockerfile

import (
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"mvdan.cc/sh/v3/syntax"
)

// The shell parser, the shell printer and BuildKit's word lexer each carry
// kilobyte buffers (a parser two 1 KiB arrays, a printer a 4 KiB bufio
// writer, a lexer text/scanner's 1 KiB buffer) and were made afresh for
// every RUN, every word that needed printing and every expansion: a tenth
// of the bytes a lint of the real-world corpus allocated. Each is reset by
// its own entry point (Parser.Parse, Printer.Print, Lex.ProcessWord*), so a
// pooled one behaves as a new one; none of them is used by two goroutines
// at once (get, use, put).

var shParsers = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
}}

// parseBash parses text as bash, as syntax.NewParser(Variant(LangBash))
// would. The tree is the caller's: Parse allocates its nodes afresh.
func parseBash(text string) (*syntax.File, error) {
	p := shParsers.Get().(*syntax.Parser)
	f, err := p.Parse(strings.NewReader(text), "")
	shParsers.Put(p)
	return f, err
}

var shPrinters = sync.Pool{New: func() any { return syntax.NewPrinter() }}

func getPrinter() *syntax.Printer { return shPrinters.Get().(*syntax.Printer) }

// putPrinter returns *pr to the pool when one was taken.
func putPrinter(pr **syntax.Printer) {
	if *pr != nil {
		shPrinters.Put(*pr)
		*pr = nil
	}
}

// lexers are BuildKit word lexers for the two escape tokens a Dockerfile
// may use; any other escape token gets a new one.
var lexers = [2]sync.Pool{
	{New: func() any { return shell.NewLex('\\') }},
	{New: func() any { return shell.NewLex('`') }},
}

func getLex(escape rune) *shell.Lex {
	switch escape {
	case '\\':
		return lexers[0].Get().(*shell.Lex)
	case '`':
		return lexers[1].Get().(*shell.Lex)
	}
	return shell.NewLex(escape)
}

func putLex(escape rune, l *shell.Lex) {
	switch escape {
	case '\\':
		lexers[0].Put(l)
	case '`':
		lexers[1].Put(l)
	}
}
