package engine

import (
	"context"
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/freshness"
)

// checkBaseUpdates asks the registry, for each stage whose base is pinned
// as name:tag@digest, which digest the tag names now, and leaves the
// answer on the stage for DF1207 (lint --online). Stages pinned by tag or
// digest alone have nothing to compare. An unreachable registry is an
// error of the input: an online run that could not look never passes.
func checkBaseUpdates(ctx context.Context, f *dockerfile.File, o freshness.Options) error {
	seen := map[string]*dockerfile.BaseUpdate{}
	for _, st := range f.Stages {
		b, ok := st.Image()
		if !ok || b.Tag == "" || b.Digest == "" {
			continue
		}
		tag := b.Name + ":" + b.Tag
		key := tag + "@" + b.Digest
		if u, ok := seen[key]; ok {
			st.Update = u
			continue
		}
		v, err := freshness.Check(ctx, tag, b.Digest, "the base image", o)
		if err != nil {
			return fmt.Errorf("--online: base image of line %d: %w", st.From.Range.Line, err)
		}
		u := &dockerfile.BaseUpdate{Tag: v.Tag, Used: v.Used, Current: v.Current, DaysBehind: v.DaysBehind, Upgraded: v.Upgraded, Note: v.Note}
		seen[key], st.Update = u, u
	}
	return nil
}
