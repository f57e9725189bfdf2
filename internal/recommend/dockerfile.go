package recommend

import (
	"fmt"
	"os"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// FromDockerfile returns the target of a Dockerfile: the image its final
// stage (the build target, or the last stage) is built on, through any
// earlier stage it starts FROM, located at that stage's FROM line. A final
// stage on scratch, or on a reference that stays dynamic after build
// arguments, yields a target of no known family.
func FromDockerfile(path string, buildArgs map[string]string, m Mirrors) (Target, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Target{}, err
	}
	f, err := df.Parse(path, src, df.Options{BuildArgs: buildArgs})
	if err != nil {
		return Target{}, fmt.Errorf("%s: %w", path, err)
	}
	if f.Target == nil {
		return Target{}, fmt.Errorf("%s: no FROM instruction", path)
	}
	root := f.Target.Root()
	t := Target{Ref: root.BaseName, File: path, Stage: f.Target.Label()}
	if root.From != nil {
		t.Line = root.From.Range.Line
	}
	b, ok := root.Image()
	if !ok {
		if t.Ref == "" {
			t.Ref = "scratch"
		}
		return t, nil
	}
	pt, err := ParseTarget(b.Ref, m)
	if err != nil {
		return Target{}, fmt.Errorf("%s:%d: %w", path, t.Line, err)
	}
	pt.File, pt.Line, pt.Stage = t.File, t.Line, t.Stage
	return pt, nil
}
