package pin

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/distribution/reference"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/container"
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Target is one image reference of a file that pinning concerns: the
// reference as written and the bytes [Start, End) that hold it, or why it
// is left as it is.
type Target struct {
	// Line and Col locate the reference (or the FROM that uses an ARG's
	// default) for messages.
	Line, Col int
	// Ref is the tag reference to resolve, as written.
	Ref        string
	Start, End int
	// Refused, when not empty, says why the reference cannot be pinned;
	// the file is left alone there.
	Refused string
}

// varOnly matches a FROM whose whole reference is one variable.
var varOnly = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)

// DockerfileTargets finds the references of a Dockerfile's FROM lines.
// Stage references, scratch and references already pinned by digest are
// not targets. A FROM whose whole reference is one ARG with a default
// pins that default where the ARG sets it; a FROM that mixes ARGs with
// text (node:${V}-alpine) is refused, since pinning it would freeze the
// argument meant to vary it.
func DockerfileTargets(path string, data []byte) ([]Target, error) {
	f, err := df.Parse(path, data, df.Options{})
	if err != nil {
		return nil, err
	}
	ix := loc.NewIndex(data)
	var out []Target
	seen := map[int]bool{}
	add := func(t Target) {
		if t.Refused == "" && seen[t.Start] {
			return
		}
		seen[t.Start] = true
		out = append(out, t)
	}
	for _, st := range f.Stages {
		ref := strings.TrimSpace(st.BaseName)
		if st.BaseStage != nil || ref == "" || strings.EqualFold(ref, "scratch") || st.From == nil {
			continue
		}
		at := loc.Range{Line: st.From.Range.Line, Col: st.From.Range.Col}
		if strings.Contains(ref, "$") {
			if t, ok := argDefaultTarget(f, ix, ref, at); ok {
				add(t)
			}
			continue
		}
		if strings.Contains(ref, "@") {
			continue
		}
		r := st.BaseRange()
		t := Target{Line: r.Line, Col: r.Col, Ref: ref}
		if s, e, ok := ix.Offsets(r); ok && r.EndCol > 0 && string(data[s:e]) == ref {
			t.Start, t.End = s, e
		} else {
			t.Refused = "the reference could not be located in the FROM line"
		}
		add(checkRef(t))
	}
	sortTargets(out)
	return out, nil
}

// argDefaultTarget is the target of a FROM built from ARGs: the default
// of the one ARG that is its whole reference, where the ARG before the
// first FROM sets it; ok is false when the default needs nothing (it is
// scratch, or pinned already).
func argDefaultTarget(f *df.File, ix *loc.Index, ref string, at loc.Range) (Target, bool) {
	t := Target{Line: at.Line, Col: at.Col, Ref: ref}
	m := varOnly.FindStringSubmatch(ref)
	if m == nil {
		t.Refused = fmt.Sprintf("FROM %s mixes build arguments with text; pinning it would freeze them: pin by hand, or make the whole reference one ARG with a default", ref)
		return t, true
	}
	name := m[1]
	var arg *df.Instruction
	for _, in := range f.MetaArgs {
		for _, a := range in.Args {
			if k, _, _ := strings.Cut(a, "="); k == name {
				arg = in
			}
		}
	}
	if arg == nil {
		t.Refused = fmt.Sprintf("FROM %s: no ARG %s before the first FROM gives it a default", ref, name)
		return t, true
	}
	line := ""
	if arg.Range.Line >= 1 && arg.Range.Line <= len(f.Lines) {
		line = f.Lines[arg.Range.Line-1]
	}
	vm := regexp.MustCompile(`(^|[\s])` + regexp.QuoteMeta(name) + `=("?)([^"\s]*)`).FindStringSubmatchIndex(line)
	if vm == nil || vm[7] == vm[6] {
		t.Refused = fmt.Sprintf("FROM %s: ARG %s has no default on its line to pin", ref, name)
		return t, true
	}
	val := line[vm[6]:vm[7]]
	switch {
	case strings.EqualFold(val, "scratch") || strings.Contains(val, "@"):
		return t, false
	case strings.Contains(val, "$"):
		t.Refused = fmt.Sprintf("FROM %s: the default of ARG %s is built from other variables", ref, name)
		return t, true
	}
	s, _, ok := ix.Offsets(loc.Range{Line: arg.Range.Line, Col: vm[6] + 1, EndLine: arg.Range.Line, EndCol: vm[7] + 1})
	if !ok {
		t.Refused = fmt.Sprintf("FROM %s: ARG %s could not be located", ref, name)
		return t, true
	}
	t = Target{Line: arg.Range.Line, Col: vm[6] + 1, Ref: val, Start: s, End: s + len(val)}
	return checkRef(t), true
}

// ComposeTargets finds the image: references of the services defined in
// a compose file (its own bytes, without override files). A service that
// also has build: is not pinned (compose tags what it builds with that
// name), nor an image interpolated from variables, nor one pinned already.
func ComposeTargets(path string, data []byte) ([]Target, error) {
	p, _, err := compose.LoadSources([]compose.Source{{Path: path, Data: data}}, compose.Options{NoAutoOverride: true})
	if err != nil {
		return nil, err
	}
	ix := loc.NewIndex(data)
	var out []Target
	for _, s := range p.Specs {
		img := strings.TrimSpace(s.Image)
		pos, ok := s.Where[container.KeyImage]
		if img == "" || !ok || pos.File != path || pos.Range.Line < 1 || strings.Contains(img, "@") {
			continue
		}
		r := pos.Range
		t := Target{Line: r.Line, Col: r.Col, Ref: img}
		switch {
		case s.Build:
			continue
		case strings.Contains(img, "$") || s.Unresolved[container.KeyImage]:
			t.Refused = "the image of service " + s.Name + " is interpolated from variables; pin the value where it is set"
			out = append(out, t)
			continue
		}
		_, end, ok := ix.Offsets(r)
		if !ok {
			continue
		}
		// The value ends the key's range, inside its closing quote when
		// quoted; it must read as the image, or it holds escapes.
		switch {
		case end >= len(img) && string(data[end-len(img):end]) == img:
			t.Start, t.End = end-len(img), end
		case end >= len(img)+1 && string(data[end-1-len(img):end-1]) == img && (data[end-1] == '"' || data[end-1] == '\''):
			t.Start, t.End = end-1-len(img), end-1
		default:
			t.Refused = "the image of service " + s.Name + " is not written as it resolves (variables from .env, escapes, several lines); pin the value where it is set"
		}
		out = append(out, checkRef(t))
	}
	sortTargets(out)
	return out, nil
}

// checkRef refuses a reference that is not a valid image name.
func checkRef(t Target) Target {
	if t.Refused != "" {
		return t
	}
	if _, err := reference.ParseNormalizedNamed(t.Ref); err != nil {
		t.Refused = fmt.Sprintf("%s is not a valid image reference: %v", t.Ref, err)
	}
	return t
}

func sortTargets(ts []Target) {
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Line != ts[j].Line {
			return ts[i].Line < ts[j].Line
		}
		return ts[i].Col < ts[j].Col
	})
}
