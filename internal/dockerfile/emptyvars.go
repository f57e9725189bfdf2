package dockerfile

import (
	"regexp"
	"strings"
)

// EmptyVar is a variable a RUN refers to that expands to nothing there.
type EmptyVar struct {
	Name string
	// Why says why, for messages: "has no default", "is empty", or "is
	// declared before FROM only".
	Why string
}

// plainVarRef finds $NAME and ${NAME} references, with the character after
// a braced name so that ${NAME:-default} and friends can be told apart.
var plainVarRef = regexp.MustCompile(`\$(\{)?([A-Za-z_][A-Za-z0-9_]*)([}:?+=-])?`)

// EmptyVars returns the variables the shell word of the RUN in refers to
// that are empty when it runs, as far as the Dockerfile shows: an ARG
// without a default (empty unless --build-arg sets it), an ARG or ENV whose
// value is empty, and an ARG declared before the first FROM that this
// stage does not declare again (BuildKit does not pass it to RUN). A
// reference with a default (${V:-x}), a variable the script itself assigns
// and a variable the stage's FROM line uses (its base image may well set
// it, as golang:${GOLANG_VERSION} sets GOLANG_VERSION) are never reported.
func (in *Instruction) EmptyVars(word string) []EmptyVar {
	if !strings.Contains(word, "$") || in.Vars == nil {
		return nil
	}
	var out []EmptyVar
	for _, m := range plainVarRef.FindAllStringSubmatch(word, -1) {
		braced, name, next := m[1] != "", m[2], m[3]
		if braced && next != "}" {
			continue
		}
		if in.Script != nil && strings.Contains(in.Script.Text, name+"=") {
			continue
		}
		if v, ok := in.Vars.Lookup(name); ok {
			switch {
			case v.Kind == KindArg && !v.HasValue:
				out = append(out, EmptyVar{name, "has no default"})
			case v.Kind != KindBuiltin && v.HasValue && v.Value == "":
				out = append(out, EmptyVar{name, "is empty"})
			}
			continue
		}
		if in.metaArg(name) && !in.fromUses(name) {
			out = append(out, EmptyVar{name, "is declared before FROM only"})
		}
	}
	return out
}

// metaArg reports whether an ARG before the first FROM declares name.
func (in *Instruction) metaArg(name string) bool {
	if in.file == nil {
		return false
	}
	for _, m := range in.file.MetaArgs {
		for _, a := range m.Args {
			if k, _, _ := strings.Cut(a, "="); k == name {
				return true
			}
		}
	}
	return false
}

// fromUses reports whether the FROM line of in's stage refers to name.
func (in *Instruction) fromUses(name string) bool {
	if in.Stage == nil || in.Stage.From == nil {
		return false
	}
	for _, m := range plainVarRef.FindAllStringSubmatch(in.Stage.From.Original, -1) {
		if m[2] == name {
			return true
		}
	}
	return false
}
