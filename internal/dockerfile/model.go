package dockerfile

import (
	"strconv"
	"sync"

	"github.com/distribution/reference"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// File is the parsed model of one Dockerfile. It is built once by Parse and
// must not be modified afterwards: rules run concurrently over it.
type File struct {
	Path   string
	Source []byte
	// Lines holds the raw source lines without line terminators (CR removed).
	Lines []string
	// Escape is the escape character in force (`\` or a backtick).
	Escape rune
	// Syntax is the value of a `# syntax=` parser directive, if any.
	Syntax string
	// Check is the raw value of a `# check=` parser directive, if any.
	Check string
	// Comments lists every comment line in source order, for pragmas.
	Comments []Comment
	// MetaArgs are the ARG instructions before the first FROM.
	MetaArgs []*Instruction
	// Stages in source order.
	Stages []*Stage
	// Instructions lists every instruction of the file in source order,
	// including FROM and meta ARGs.
	Instructions []*Instruction
	// Errors are the parse errors found; the model covers everything else.
	Errors []ParseError
	// Target is the stage a build produces: the one named by --target, or
	// the last stage. It is nil only when the file has no stage.
	Target *Stage
	// BuildArgs are the --build-arg values the model was resolved with.
	BuildArgs map[string]string
}

// BaseUpdate says whether the tag of a stage's base image (FROM
// name:tag@digest) still names the pinned digest.
type BaseUpdate struct {
	// Tag is the tagged reference checked; Used the pinned digest;
	// Current the digest the tag names now.
	Tag, Used, Current string
	// DaysBehind is how many days newer the current image is; -1 unknown.
	DaysBehind int
	// Upgraded lists OS packages the current image upgrades
	// ("openssl 3.0.11-1 -> 3.0.13-1"); Note says why they are unknown.
	Upgraded []string
	Note     string
}

// Comment is one full-line comment. Text excludes the leading '#' and the
// whitespace after it.
type Comment struct {
	Line int
	Text string
}

// ParseError is a problem the parser reported, at the place it names.
type ParseError struct {
	Range   loc.Range
	Message string
}

// Stage is one FROM block.
type Stage struct {
	// Update is what `lint --online` learned about the base image's tag
	// before the rules ran; nil offline. Rules read it, never the network.
	Update *BaseUpdate
	Index  int
	// Name is the lower-cased alias from `FROM image AS name`, or "".
	Name string
	// NameAsWritten keeps the original casing of the alias.
	NameAsWritten string
	From          *Instruction
	// BaseName is the image reference as written; Base is it with build
	// arguments substituted.
	BaseName string
	Base     string
	// BaseRef is Base parsed as an image reference (Docker Hub names
	// normalised), parsed once here for every rule; nil for scratch, an
	// earlier stage, or a reference that does not parse.
	BaseRef reference.Named
	// BaseStage is set when FROM names an earlier stage.
	BaseStage *Stage
	Platform  string
	// Instructions holds the instructions after FROM, in order.
	Instructions []*Instruction
	// Windows is true when the stage runs Windows containers (backtick
	// escape, a Windows base image or a cmd/PowerShell SHELL); shell rules
	// skip such stages.
	Windows bool
	// DependsOn lists the stages this stage reads from: its base stage,
	// COPY --from and RUN --mount from=.
	DependsOn []*Stage
	// InTarget is true when the target stage needs this stage.
	InTarget bool
	// Ships is true when the stage's layers end up in an image someone
	// runs: the target stage and the stages it is built FROM and, when no
	// --target picked another than the last stage, every stage nothing else
	// reads from (an alternative target) with its FROM chain. Stages only
	// read through COPY --from or RUN --mount from= are build stages: what
	// they leave behind never ships.
	Ships   bool
	file    *File
	endVars *Scope
	endSh   []string
	// roleOnce keeps Role's answer: nine rules ask it of every stage, and
	// the stage does not change once Parse returns.
	roleOnce sync.Once
	role     RoleInfo
}

// IsTarget reports whether the stage is the one a build produces.
func (s *Stage) IsTarget() bool { return s.file != nil && s.file.Target == s }

// Label returns the stage name, or its index when unnamed, for messages.
func (s *Stage) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return "#" + strconv.Itoa(s.Index)
}

// ByKeyword returns the stage's instructions with the given upper-case keyword.
func (s *Stage) ByKeyword(kw string) []*Instruction {
	var out []*Instruction
	for _, in := range s.Instructions {
		if in.Keyword == kw {
			out = append(out, in)
		}
	}
	return out
}

// Root returns the first stage of the chain of FROM references, i.e. the
// stage whose base is an external image (or scratch).
func (s *Stage) Root() *Stage {
	seen := map[*Stage]bool{}
	for s.BaseStage != nil && !seen[s] {
		seen[s] = true
		s = s.BaseStage
	}
	return s
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Keyword is the upper-case instruction name (RUN, COPY, ...).
	Keyword string
	// KeywordAsWritten keeps its original casing.
	KeywordAsWritten string
	// Range spans the instruction from its first to last source line
	// (heredoc bodies included); Col points at the keyword.
	Range loc.Range
	Node  *parser.Node
	// Command is BuildKit's typed instruction (*instructions.RunCommand and
	// so on), or nil when it could not be parsed. For FROM it is nil; see
	// Stage.
	Command instructions.Command
	// Stage is nil for meta ARGs before the first FROM.
	Stage *Stage
	// Flags are the raw `--flag=value` strings; Args the arguments after
	// them, as BuildKit split them.
	Flags []string
	Args  []string
	// Original is the instruction text as BuildKit joined it.
	Original string
	// Vars are the ARG and ENV values visible when the instruction runs.
	Vars *Scope
	// Shell is the SHELL in force for shell-form commands.
	Shell []string
	// Script is set for RUN: its commands and shell syntax tree.
	Script *Script
	// ParseErr is set when BuildKit rejected this instruction.
	ParseErr error
	// Trigger is the RUN an ONBUILD instruction carries, modelled as a
	// RUN of its own; OnBuild is set on such a trigger and names its
	// ONBUILD (see onbuild.go).
	Trigger, OnBuild *Instruction
	file             *File
}

// Flag returns the value of a `--name=value` flag and whether it is present.
// A bare `--name` yields "true".
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		f = strings.TrimPrefix(f, "--")
		k, v, ok := strings.Cut(f, "=")
		if strings.EqualFold(k, name) {
			if !ok {
				return "true", true
			}
			return v, true
		}
	}
	return "", false
}

// Expand substitutes ARG/ENV references in a word the way BuildKit does for
// non-RUN instructions. Unmatched lists variables that were referenced but
// not defined.
func (in *Instruction) Expand(word string) (value string, unmatched []string) {
	esc := '\\'
	if in.file != nil {
		esc = in.file.Escape
	}
	return in.Vars.Expand(word, esc)
}

// Locate finds the first occurrence of token after the instruction's
// keyword and returns its range; when absent it returns the instruction's
// first line. Comment lines inside a continuation are skipped, as BuildKit
// drops them.
func (in *Instruction) Locate(token string) loc.Range {
	return in.LocateFunc(token, func(string, int, int) bool { return true })
}

// LocateWord is Locate for a whole word: the match must be bounded by the
// line's ends, blanks, quotes, brackets or commas, so that `22` is not
// found inside `2222`.
func (in *Instruction) LocateWord(word string) loc.Range {
	return in.LocateFunc(word, func(line string, s, e int) bool {
		return (s == 0 || strings.IndexByte(" \t\"'[,=", line[s-1]) >= 0) &&
			(e == len(line) || strings.IndexByte(" \t\"'],\\", line[e]) >= 0)
	})
}

// LocateKey is Locate for the key of a KEY=value pair (ARG, ENV, LABEL):
// preceded by a blank, a quote or the line start and followed by '=', a
// blank, a quote or the line end, so that FOO is not found in FOO_BAR.
func (in *Instruction) LocateKey(key string) loc.Range {
	return in.LocateFunc(key, func(line string, s, e int) bool {
		return (s == 0 || strings.IndexByte(" \t\"'", line[s-1]) >= 0) &&
			(e == len(line) || strings.IndexByte("= \t\"'\\", line[e]) >= 0)
	})
}

// LocateFunc finds the first occurrence of token after the keyword for
// which ok(line, start, end) holds (byte offsets in the line), skipping
// comment lines inside a continuation; when absent it returns the
// instruction's first line.
func (in *Instruction) LocateFunc(token string, ok func(line string, start, end int) bool) loc.Range {
	if in.file == nil || token == "" {
		return in.Start()
	}
	lines := in.file.Lines
	for ln := in.Range.Line; ln <= in.Range.EndLine && ln <= len(lines); ln++ {
		line := lines[ln-1]
		from := 0
		if ln == in.Range.Line {
			from = min(max(in.Range.Col-1+len(in.KeywordAsWritten), 0), len(line))
		} else if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for from <= len(line) {
			i := strings.Index(line[from:], token)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(token)
			if ok(line, s, e) {
				return loc.Range{Line: ln, Col: s + 1, EndLine: ln, EndCol: e + 1}
			}
			from = s + 1
		}
	}
	return in.Start()
}

// File returns the Dockerfile the instruction belongs to, whose Lines
// hold its text (fixes check the words they edit against it).
func (in *Instruction) File() *File { return in.file }

// Start returns the range of the instruction's first line, the default place
// to report a finding about the whole instruction.
func (in *Instruction) Start() loc.Range {
	end := in.Range.Col + len(in.KeywordAsWritten)
	return loc.Range{Line: in.Range.Line, Col: in.Range.Col, EndLine: in.Range.Line, EndCol: end}
}

// IsExecForm reports whether a RUN/CMD/ENTRYPOINT uses the JSON exec form.
func (in *Instruction) IsExecForm() bool {
	return in.Node != nil && in.Node.Attributes["json"]
}

// endScope returns the variables in force at the end of the stage.
func (s *Stage) endScope() *Scope {
	if s.endVars == nil {
		return NewScope()
	}
	// Only ENV carries into a stage built FROM this one.
	n := NewScope()
	for _, k := range s.endVars.Names() {
		if v, _ := s.endVars.Lookup(k); v.Kind == KindEnv {
			n.vars[k] = v
		}
	}
	return n
}

func (s *Stage) endShell() []string {
	if s.endSh == nil {
		return []string{"/bin/sh", "-c"}
	}
	return s.endSh
}

func (s *Stage) setEnd(v *Scope, sh []string) {
	if v == nil {
		v = NewScope()
	}
	s.endVars, s.endSh = v, sh
}
