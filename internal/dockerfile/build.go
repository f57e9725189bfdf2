package dockerfile

import (
	"fmt"
	"strings"
	"sync"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// builder holds the state of one walk over the AST: the global scope of
// the meta ARGs, the current stage with the variables and SHELL in force,
// and the named stages seen so far.
type builder struct {
	f           *File
	opts        Options
	global      *Scope
	cur         *Stage
	scope       *Scope
	sh          []string
	stageByName map[string]*Stage
}

// builtinScope is the global scope every Dockerfile starts from, BuildKit's
// automatic platform arguments, made once: a Scope never changes once made
// (With copies), and building it per file took nine map copies.
var builtinScope = sync.OnceValue(func() *Scope {
	vs := make([]Var, 0, len(builtinArgs))
	for k, v := range builtinArgs {
		vs = append(vs, Var{Name: k, Value: v, HasValue: true, Kind: KindBuiltin})
	}
	return NewScope().With(vs...)
})

// build walks the AST into stages and instructions.
func (f *File) build(ast *parser.Node, opts Options) {
	b := &builder{f: f, opts: opts, global: builtinScope(), stageByName: map[string]*Stage{}}
	for _, node := range ast.Children {
		in := f.newInstruction(node)
		f.Instructions = append(f.Instructions, in)
		if in.Keyword == "FROM" {
			b.from(in)
		} else {
			b.instruction(in)
		}
	}
	for _, s := range f.Stages {
		if s.endVars == nil {
			s.setEnd(nil, nil)
		}
	}
}

// newInstruction makes the model of one AST node, without its stage.
func (f *File) newInstruction(node *parser.Node) *Instruction {
	in := &Instruction{
		Keyword:          strings.ToUpper(node.Value),
		KeywordAsWritten: node.Value,
		Node:             node,
		Flags:            node.Flags,
		Original:         node.Original,
		file:             f,
	}
	in.Range = loc.Range{Line: node.StartLine, EndLine: node.EndLine, Col: f.keywordCol(node.StartLine, node.Value)}
	for n := node.Next; n != nil; n = n.Next {
		in.Args = append(in.Args, n.Value)
	}
	return in
}

// from starts a new stage at a FROM instruction.
func (b *builder) from(in *Instruction) {
	f := b.f
	v, err := parseInstruction(in.Node)
	st, _ := v.(*instructions.Stage)
	cur := &Stage{Index: len(f.Stages), From: in, file: f}
	b.cur = cur
	if err != nil || st == nil {
		in.ParseErr = err
		f.addErr(in, err)
		if len(in.Args) > 0 {
			cur.BaseName = in.Args[0]
		}
	} else {
		cur.Name = st.Name
		cur.BaseName = st.BaseName
		cur.Platform = st.Platform
		if len(in.Args) == 3 {
			cur.NameAsWritten = in.Args[2]
		}
	}
	in.Stage = cur
	in.Vars = b.global
	cur.Base, _ = b.global.Expand(cur.BaseName, f.Escape)
	if bs, ok := b.stageByName[strings.ToLower(cur.Base)]; ok && cur.Base != "" {
		cur.BaseStage = bs
		cur.DependsOn = append(cur.DependsOn, bs)
	}
	// A stage starts from its base stage's ENV and SHELL; ARGs do
	// not carry over.
	b.scope = NewScope()
	b.sh = []string{"/bin/sh", "-c"}
	if cur.BaseStage != nil {
		b.scope = cur.BaseStage.endScope()
		b.sh = cur.BaseStage.endShell()
		cur.Windows = cur.BaseStage.Windows
	}
	if cur.BaseStage == nil && cur.Base != "" && !strings.EqualFold(cur.Base, "scratch") && !strings.Contains(cur.Base, "$") {
		if named, err := reference.ParseNormalizedNamed(cur.Base); err == nil {
			cur.BaseRef = named
		}
	}
	if f.Escape == '`' || isWindowsImage(cur.Base) {
		cur.Windows = true
	}
	if cur.Windows && cur.BaseStage == nil {
		b.sh = []string{"cmd", "/S", "/C"}
	}
	f.Stages = append(f.Stages, cur)
	if cur.Name != "" {
		if _, dup := b.stageByName[cur.Name]; !dup {
			b.stageByName[cur.Name] = cur
		}
	}
}

// instruction models an instruction other than FROM: a meta ARG before
// the first stage, or an instruction of the current stage.
func (b *builder) instruction(in *Instruction) {
	f := b.f
	cmd, err := parseCommand(in.Node)
	if err != nil {
		in.ParseErr = err
		f.addErr(in, err)
	} else {
		in.Command = cmd
	}
	if b.cur == nil {
		in.Vars = b.global
		if in.Keyword == "ARG" {
			if a, ok := cmd.(*instructions.ArgCommand); ok {
				b.metaArgs(in, a)
			}
			f.MetaArgs = append(f.MetaArgs, in)
		} else if err == nil {
			f.addErr(in, fmt.Errorf("%s instruction before the first FROM", in.Keyword))
		}
		return
	}
	cur := b.cur
	in.Stage = cur
	in.Vars = b.scope
	in.Shell = b.sh
	cur.Instructions = append(cur.Instructions, in)
	b.apply(in, cmd)
	cur.setEnd(b.scope, b.sh)
}

// metaArgs adds the ARGs before the first FROM to the global scope.
func (b *builder) metaArgs(in *Instruction, a *instructions.ArgCommand) {
	for _, kv := range a.Args {
		v := Var{Name: kv.Key, Kind: KindArg, Line: in.Range.Line}
		if kv.Value != nil {
			v.Value, _ = b.global.Expand(*kv.Value, b.f.Escape)
			v.HasValue = true
		}
		if bv, ok := b.opts.BuildArgs[kv.Key]; ok {
			v.Value, v.HasValue = bv, true
		}
		b.global = b.global.With(v)
	}
}

// apply records what an instruction of the current stage changes: its
// variables, its SHELL, the stages it reads from, and the script of a RUN.
func (b *builder) apply(in *Instruction, cmd instructions.Command) {
	f, cur := b.f, b.cur
	switch c := cmd.(type) {
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			v := Var{Name: kv.Key, Kind: KindArg, Line: in.Range.Line}
			if gv, ok := b.global.Lookup(kv.Key); ok && gv.Kind != KindBuiltin {
				v.Value, v.HasValue = gv.Value, gv.HasValue
			} else if ok {
				v.Value, v.HasValue = gv.Value, true
			}
			if kv.Value != nil {
				v.Value, _ = b.scope.Expand(*kv.Value, f.Escape)
				v.HasValue = true
			}
			if bv, ok := b.opts.BuildArgs[kv.Key]; ok {
				v.Value, v.HasValue = bv, true
			}
			b.scope = b.scope.With(v)
		}
	case *instructions.EnvCommand:
		// ENV values are already expanded against the scope before
		// the instruction, as BuildKit does.
		for _, kv := range c.Env {
			val, _ := b.scope.Expand(kv.Value, f.Escape)
			b.scope = b.scope.With(Var{Name: kv.Key, Value: val, HasValue: true, Kind: KindEnv, Line: in.Range.Line})
		}
	case *instructions.ShellCommand:
		b.sh = c.Shell
		if !IsPOSIXShell(b.sh) {
			cur.Windows = cur.Windows || isWindowsShell(b.sh)
		}
	case *instructions.CopyCommand:
		if c.From != "" {
			from, _ := b.scope.Expand(c.From, f.Escape)
			if bs, ok := b.stageByName[strings.ToLower(from)]; ok {
				cur.DependsOn = append(cur.DependsOn, bs)
			} else if idx, ok := atoiOK(from); ok && idx < len(f.Stages) {
				cur.DependsOn = append(cur.DependsOn, f.Stages[idx])
			}
		}
	case *instructions.OnbuildCommand:
		b.buildTrigger(in)
	case *instructions.RunCommand:
		in.Script = f.buildScript(in, c, cur)
		for _, m := range in.Script.Mounts {
			if m.From != "" {
				if bs, ok := b.stageByName[strings.ToLower(m.From)]; ok {
					cur.DependsOn = append(cur.DependsOn, bs)
				}
			}
		}
	}
}
