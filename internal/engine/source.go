package engine

import (
	"context"
	"time"
)

// LintSource lints content held in memory as if it were the file at path:
// an editor's unsaved buffer. The kind comes from the name, then the
// content; the configuration and the build context are those of path's
// directory. Findings name path.
func LintSource(ctx context.Context, path string, data []byte, o LintOptions) *Result {
	res := &Result{}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	kind, script := kindByName(path)
	if kind == "" {
		kind = sniff(data)
	}
	if kind == "" || kind == KindDockerignore {
		return res
	}
	in := Input{Path: path, Kind: kind, Script: script, Data: data}
	o.claims = newContextClaims([]Input{in})
	fs, files, skipped, err := lintInput(ctx, in, o)
	switch {
	case err != nil:
		res.addError(path, err)
	case skipped:
	default:
		res.Files = append(res.Files, path)
		res.Files = append(res.Files, files...)
		res.Findings = fs
		fingerprint(res.Findings)
	}
	return res
}
