package dockerfile

import (
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/basefamily"
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds DF1204's review fix: move an end-of-life base to a
// supported release of the same image and variant.

// eolUpgradeFix is the fix that rewrites the base reference of st to a tag
// naming a supported release for each release of its tag that ended
// (basefamily.UpgradeTag says how the tag is rewritten). No fix is offered
// for a reference built from ARGs, one pinned by digest (the digest would
// no longer match; re-pin with `fix --pin`), or when UpgradeTag finds no
// supported tag.
func eolUpgradeFix(st *df.Stage, b df.BaseImage, table *eol.Table, now time.Time, ended []eol.Cycle) []rule.Fix {
	if strings.Contains(st.BaseName, "$") || b.Digest != "" || b.Tag == "" {
		return nil
	}
	up, ok := basefamily.UpgradeTag(table, b.Official, b.Tag, now, ended)
	if !ok {
		return nil
	}
	name, _, _ := strings.Cut(st.BaseName, "@")
	at := strings.LastIndex(name, ":")
	if at < 0 || at < strings.LastIndex(name, "/") {
		return nil
	}
	r := st.BaseRange()
	if r.EndCol == 0 {
		return nil
	}
	return []rule.Fix{{
		Title: "move the base to " + name[:at+1] + up.Tag + ": " + up.Moved() +
			"; packages, libraries and language behaviour change with the release, so build and test it",
		Level: rule.FixReview,
		Edits: []rule.Edit{{Range: r, New: name[:at+1] + up.Tag}},
	}}
}
