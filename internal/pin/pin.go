package pin

import (
	"bytes"
	"context"
	"slices"
	"sort"
)

// Pinned is what pinning did with one target: the digest it found, or
// the error that kept it from finding one.
type Pinned struct {
	Target
	Digest string
	Err    error
}

// Digester resolves a tag reference to a digest; Resolver.Digest is one.
type Digester func(ctx context.Context, ref string) (string, error)

// Apply resolves every target that is not refused and returns data with
// each reference rewritten as ref@digest, and what happened to each
// target. A target whose digest could not be had is left as it is and
// carries the error; the caller decides whether the rest may be written
// (shipshape writes nothing then).
func Apply(ctx context.Context, data []byte, targets []Target, digest Digester) ([]byte, []Pinned) {
	res := make([]Pinned, 0, len(targets))
	for _, t := range targets {
		p := Pinned{Target: t}
		if t.Refused == "" {
			p.Digest, p.Err = digest(ctx, t.Ref)
		}
		res = append(res, p)
	}
	todo := slices.Clone(res)
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].Start > todo[j].Start })
	out := bytes.Clone(data)
	for _, p := range todo {
		if p.Refused != "" || p.Err != nil || p.Digest == "" {
			continue
		}
		out = slices.Concat(out[:p.Start], []byte(p.Ref+"@"+p.Digest), out[p.End:])
	}
	return out, res
}
