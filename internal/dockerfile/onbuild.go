package dockerfile

import (
	"iter"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// An ONBUILD RUN is a command this Dockerfile writes for other builds: it
// runs in every image built FROM this one, after all of this stage's own
// instructions, with the ENV, USER and SHELL the stage ends with. The model
// gives such a trigger an Instruction of its own (Keyword "RUN", a Script
// like any RUN) so that every rule about what a RUN executes sees it:
//
//   - it is the ONBUILD instruction's Trigger, and its OnBuild names that
//     ONBUILD; it is in neither File.Instructions nor Stage.Instructions,
//     which hold what this build executes;
//   - its Stage is the stage that declares it, the place its findings are
//     scoped to, and its Range is the ONBUILD's lines with Col at the
//     trigger's own keyword, so findings land on the ONBUILD line;
//   - Stage.Runs and File.Runs yield it after the stage's own RUNs when the
//     stage makes an image others can build FROM: one that ships (the
//     target, a stage nothing reads from, their FROM chains) or one
//     another stage is built FROM (Stage.ConfigReachesImage); a stage
//     only copied from passes no trigger on. Instruction.Earlier starts a
//     trigger from the last instruction of its stage;
//   - rules about how this build lays out its layers (a RUN that only
//     updates the index, files deleted in a later layer, consecutive RUNs,
//     the order of COPY and install) walk Stage.Instructions and so leave
//     triggers alone: the layers a trigger makes belong to the downstream
//     build, whose other instructions this file does not show.

// buildTrigger models the instruction an ONBUILD carries when it is a RUN;
// other triggers are left to the rules about ONBUILD itself.
func (b *builder) buildTrigger(on *Instruction) {
	if on.Node == nil || on.Node.Next == nil || len(on.Node.Next.Children) == 0 {
		return
	}
	inner := on.Node.Next.Children[0]
	if !strings.EqualFold(inner.Value, "RUN") {
		return
	}
	cmd, err := parseCommand(inner)
	run, ok := cmd.(*instructions.RunCommand)
	if err != nil || !ok {
		return
	}
	f := b.f
	t := &Instruction{
		Keyword:          "RUN",
		KeywordAsWritten: inner.Value,
		Node:             inner,
		Command:          run,
		Stage:            on.Stage,
		Flags:            inner.Flags,
		Original:         inner.Original,
		Vars:             b.scope,
		Shell:            b.sh,
		OnBuild:          on,
		file:             f,
	}
	for n := inner.Next; n != nil; n = n.Next {
		t.Args = append(t.Args, n.Value)
	}
	t.Range = on.Range
	t.Range.Line, t.Range.Col = f.triggerKeyword(on, inner)
	t.Range.EndLine = on.Range.EndLine
	t.Script = f.buildScript(t, run, on.Stage)
	on.Trigger = t
}

// triggerKeyword finds the line and column of the trigger's keyword: the
// first word after ONBUILD, on its line or a continuation line below.
func (f *File) triggerKeyword(on *Instruction, inner *parser.Node) (int, int) {
	for ln := on.Range.Line; ln <= on.Range.EndLine && ln <= len(f.Lines); ln++ {
		line := f.Lines[ln-1]
		from := 0
		if ln == on.Range.Line {
			from = min(max(on.Range.Col-1+len(on.KeywordAsWritten), 0), len(line))
		}
		rest := line[from:]
		i := strings.IndexFunc(rest, func(r rune) bool { return r != ' ' && r != '\t' })
		if i < 0 || strings.HasPrefix(rest[i:], string(f.Escape)) {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(rest[i:]), strings.ToUpper(inner.Value)) {
			return ln, from + i + 1
		}
		break
	}
	return on.Range.Line, on.Range.Col
}

// Triggers yields the ONBUILD RUN triggers the stage declares, in source
// order (see the comment at the top of this file).
func (s *Stage) Triggers() iter.Seq[*Instruction] {
	return func(yield func(*Instruction) bool) {
		for _, in := range s.Instructions {
			if in.Trigger != nil && in.Trigger.Script != nil && !yield(in.Trigger) {
				return
			}
		}
	}
}

// IsTrigger reports whether the instruction is an ONBUILD trigger, which
// runs in the builds of other images rather than in this one.
func (in *Instruction) IsTrigger() bool { return in.OnBuild != nil }
