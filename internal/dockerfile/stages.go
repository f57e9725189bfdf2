package dockerfile

import (
	"iter"
	"slices"
	"strconv"
	"strings"
)

// Chain returns s followed by the stages it is built FROM, nearest first.
// Settings such as USER, HEALTHCHECK and CMD are inherited along this
// chain, so it is what "the image of a stage" means for its configuration.
func (s *Stage) Chain() []*Stage {
	var out []*Stage
	seen := map[*Stage]bool{}
	for ; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// Last returns the instruction with keyword kw (upper case) that is in force
// at the end of s: the last one of s, else the last one of the nearest
// stage s is built FROM that has one. It returns nil when the chain has
// none; s may be nil.
func (s *Stage) Last(kw string) *Instruction {
	for _, st := range s.Chain() {
		if ins := st.ByKeyword(kw); len(ins) > 0 {
			return ins[len(ins)-1]
		}
	}
	return nil
}

// IsScratch reports whether the chain of s starts from the empty image.
func (s *Stage) IsScratch() bool {
	return strings.EqualFold(s.Root().Base, "scratch")
}

// Runnable reports whether the image of s can start a process: it sets
// CMD or ENTRYPOINT somewhere in its chain, or starts from an image that
// may. A scratch chain without either is an artifact export (`docker build
// -o`), never run, so rules about running containers leave it alone.
func (s *Stage) Runnable() bool {
	return !s.IsScratch() || s.Last("CMD") != nil || s.Last("ENTRYPOINT") != nil
}

// ConfigReachesImage reports whether the image configuration s ends with
// (CMD, ENTRYPOINT, ONBUILD) can end up in an image: s is the target, the
// last stage, or another stage is built FROM it. A stage only copied from
// contributes files, never its configuration.
func (s *Stage) ConfigReachesImage() bool {
	f := s.file
	if s.IsTarget() || (f != nil && len(f.Stages) > 0 && f.Stages[len(f.Stages)-1] == s) {
		return true
	}
	if f == nil {
		return false
	}
	for _, o := range f.Stages {
		if o.BaseStage == s {
			return true
		}
	}
	return false
}

// Describe names a stage for messages: its alias as written (quoted) or
// its index, and the image it is built FROM.
func (s *Stage) Describe() string {
	name := s.Label()
	if s.Name != "" {
		name = strconv.Quote(s.NameAsWritten)
		if s.NameAsWritten == "" {
			name = strconv.Quote(s.Name)
		}
	}
	base := s.BaseName
	if s.Base != "" {
		base = s.Base
	}
	if base == "" {
		return name
	}
	return name + " (FROM " + base + ")"
}

// StageByRef finds the stage a `--from` value names: a stage name
// (case-insensitive, as BuildKit compares them) or a numeric index. st is
// nil when the value names no stage; numeric says whether it was an index
// (then index is it, even when out of range), else index is the stage's.
func (f *File) StageByRef(ref string) (st *Stage, index int, numeric bool) {
	l := strings.ToLower(ref)
	for _, s := range f.Stages {
		if s.Name != "" && s.Name == l {
			return s, s.Index, false
		}
	}
	if n, err := strconv.Atoi(ref); err == nil && n >= 0 && strings.Trim(ref, "0123456789") == "" {
		if n < len(f.Stages) {
			return f.Stages[n], n, true
		}
		return nil, n, true
	}
	return nil, -1, false
}

// markShips flags the stages whose layers end up in an image someone runs
// (see Stage.Ships).
func (f *File) markShips() {
	if f.Target == nil {
		return
	}
	roots := []*Stage{f.Target}
	if len(f.Stages) > 0 && f.Target == f.Stages[len(f.Stages)-1] {
		used := map[*Stage]bool{}
		for _, s := range f.Stages {
			for _, d := range s.DependsOn {
				if d != s {
					used[d] = true
				}
			}
		}
		for _, s := range f.Stages {
			if !used[s] {
				roots = append(roots, s)
			}
		}
	}
	for _, r := range roots {
		for _, s := range r.Chain() {
			s.Ships = true
		}
	}
}

// Earlier yields the instructions that ran before in and whose effects in
// inherits, nearest first: those before it in its stage, from the closest
// back to FROM, then those of each stage its stage is built FROM, each from
// last to first. A FROM starts from its base stages' instructions; meta
// ARGs (no stage) have none; an ONBUILD trigger starts from the triggers
// declared before it, then the last instruction of its stage, all of which
// ran before it.
func (in *Instruction) Earlier() iter.Seq[*Instruction] {
	return func(yield func(*Instruction) bool) {
		if in.Stage == nil {
			return
		}
		if in.OnBuild != nil && !in.earlierTriggers(yield) {
			return
		}
		for i, st := range in.Stage.Chain() {
			ins := st.Instructions
			if i == 0 && in.OnBuild == nil {
				// The FROM itself is not among its stage's instructions:
				// nothing of its own stage ran before it.
				ins = ins[:max(slices.Index(ins, in), 0)]
			}
			for j := len(ins) - 1; j >= 0; j-- {
				if !yield(ins[j]) {
					return
				}
			}
		}
	}
}

// earlierTriggers yields the triggers of in's stage declared before in,
// nearest first (they run before it in the downstream build); it returns
// false when yield asked to stop.
func (in *Instruction) earlierTriggers(yield func(*Instruction) bool) bool {
	ins := in.Stage.Instructions
	for j := slices.Index(ins, in.OnBuild) - 1; j >= 0; j-- {
		if t := ins[j].Trigger; t != nil && !yield(t) {
			return false
		}
	}
	return true
}

// InForce returns the last instruction with keyword kw (upper case) that
// ran before in, in its stage or the stages it is built FROM: the USER a
// RUN runs as, the SHELL it runs under. It returns nil when there is none.
func (in *Instruction) InForce(kw string) *Instruction {
	for x := range in.Earlier() {
		if x.Keyword == kw {
			return x
		}
	}
	return nil
}

// Runs yields the stage's RUN instructions whose script the model reads as
// shell commands, then its ONBUILD RUN triggers when the stage makes an
// image others can build FROM (see onbuild.go); a Windows stage has none.
func (s *Stage) Runs() iter.Seq[*Instruction] {
	return func(yield func(*Instruction) bool) {
		if s.Windows {
			return
		}
		for _, in := range s.Instructions {
			if in.Keyword == "RUN" && in.Script != nil && !yield(in) {
				return
			}
		}
		if !s.Ships && !s.ConfigReachesImage() {
			return
		}
		for in := range s.Triggers() {
			if !yield(in) {
				return
			}
		}
	}
}

// Runs yields the RUN instructions of every stage, stage by stage, as
// Stage.Runs does.
func (f *File) Runs() iter.Seq[*Instruction] {
	return func(yield func(*Instruction) bool) {
		for _, s := range f.Stages {
			for in := range s.Runs() {
				if !yield(in) {
					return
				}
			}
		}
	}
}

// Commands yields every command of every RUN (see File.Runs) with its
// instruction, in execution order.
func (f *File) Commands() iter.Seq2[*Instruction, *Cmd] {
	return func(yield func(*Instruction, *Cmd) bool) {
		for in := range f.Runs() {
			for _, c := range in.Script.Commands {
				if !yield(in, c) {
					return
				}
			}
		}
	}
}
