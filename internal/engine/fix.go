package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// FixLevels are the levels `fix --level` accepts, from the most cautious.
// `all` is `review` plus nothing unproven: suggestions are never applied.
var FixLevels = []string{"safe", "review", "all"}

// FixOptions configure one fix run: which inputs (as for Lint), how far a
// fix may change behaviour, and which rules may fix.
type FixOptions struct {
	Lint LintOptions
	// Level is "safe", "review" or "all".
	Level string
	// Only, when not empty, limits fixes to these rule IDs; Skip leaves
	// these out.
	Only, Skip map[string]bool
}

// FileFix is what fixing one file does: its bytes before and after, the
// fixes applied, and the fixes found but not applied, with why.
type FileFix struct {
	Path          string
	Before, After []byte
	// Create is true when the file does not exist yet (a .dockerignore).
	Create  bool
	Applied []FixNote
	Skipped []FixNote
	// Edits are the edits applied to the file, by offset in Before, so
	// that a caller can show or check exactly which bytes changed.
	Edits []rule.Edit

	// crlf is true when the file ends its lines with CRLF; inserted text
	// follows it.
	crlf bool
	// edited is true when an accepted fix edits the file: a file to
	// create whose fixes were all left out is not created.
	edited bool
}

// Changed reports whether the fixes change the file.
func (f *FileFix) Changed() bool {
	return f.Create && f.edited || !bytes.Equal(f.Before, f.After)
}

// FixNote is one fix of one finding, applied or not.
type FixNote struct {
	RuleID string
	Title  string
	Level  rule.FixLevel
	// Line and Col are the finding's, so that a fix is shown where the
	// finding was.
	Line, Col int
	// Reason says why a fix was not applied.
	Reason string
}

// FixResult is a fix run: the lint result the fixes came from and the
// files they change, sorted by path.
type FixResult struct {
	Lint  *Result
	Files []*FileFix
}

// Fix lints the inputs and applies, in memory, every fix of the chosen
// level and rules to the files its edits name. Nothing is written: the
// caller shows the diff, or writes FileFix.After with WriteFixed. Fixes
// whose edits overlap an already chosen fix are skipped (the first by
// position, then by rule ID, wins), so the result is deterministic, and a
// second run over the fixed files has nothing left to do.
func Fix(ctx context.Context, o FixOptions) (*FixResult, error) {
	allowed, err := fixLevelsAllowed(o.Level)
	if err != nil {
		return nil, err
	}
	res := Lint(ctx, o.Lint)
	out := &FixResult{Lint: res}
	allowedFile := fixableFiles(res)
	byFile := map[string]*FileFix{}
	var files []string
	var pending []pendingFix
	for _, f := range res.Findings {
		if f.Suppression != nil {
			continue
		}
		for _, of := range fixesOf(f) {
			fx, note := of.fix, of.note
			if len(o.Only) > 0 && !o.Only[note.RuleID] || o.Skip[note.RuleID] {
				continue
			}
			if len(fx.Edits) == 0 {
				// A refusal or a suggestion without edits is only told; a
				// refusal only when its level is one the run applies.
				if fx.Refused != "" && !allowed[fx.Level] {
					continue
				}
				if err := noteOnly(note, fx, f.File, allowedFile, byFile, &files); err != nil {
					return nil, err
				}
				continue
			}
			if existing := existingNewFile(fx.Edits, allowedFile); existing != "" && allowed[fx.Level] {
				target, err := fileFixFor(byFile, &files, f.File)
				if err != nil {
					return nil, err
				}
				note.Reason = "refused: " + existing + " exists already; a fix creates that file, never overwrites it"
				target.Skipped = append(target.Skipped, note)
				continue
			}
			if !allEditsIn(fx.Edits, allowedFile) {
				// A fix never writes outside the files linted (and a
				// .dockerignore beside a linted Dockerfile).
				continue
			}
			for _, e := range fx.Edits {
				if _, err := fileFixFor(byFile, &files, e.File); err != nil {
					return nil, err
				}
			}
			target := byFile[fx.Edits[0].File]
			switch {
			case fx.Level == rule.FixSuggest:
				note.Reason = "a suggestion: shown, never applied"
			case !allowed[fx.Level]:
				note.Reason = fmt.Sprintf("level %s (--level %s applies %s)", fx.Level, o.Level, levelList(allowed))
			}
			if note.Reason != "" {
				target.Skipped = append(target.Skipped, note)
				continue
			}
			pending = append(pending, pendingFix{note: note, fix: fx})
		}
	}
	applyFixes(sortedPending(pending), byFile)
	sort.Strings(files)
	for _, p := range files {
		out.Files = append(out.Files, byFile[p])
	}
	return out, nil
}

// ownedFix is one fix of a finding with the note that names its rule.
type ownedFix struct {
	note FixNote
	fix  rule.Fix
}

// fixesOf returns the fixes of a finding and of the findings folded into
// it, each under its own rule, at the finding's place.
func fixesOf(f rule.Finding) []ownedFix {
	var out []ownedFix
	add := func(id string, fs []rule.Fix) {
		for _, fx := range fs {
			out = append(out, ownedFix{fix: fx, note: FixNote{RuleID: id, Title: fx.Title, Level: fx.Level, Line: f.Range.Line, Col: f.Range.Col}})
		}
	}
	add(f.RuleID, f.Fixes)
	for _, r := range f.Related {
		for _, fx := range r.Fixes {
			out = append(out, ownedFix{fix: fx, note: FixNote{RuleID: r.RuleID, Title: fx.Title, Level: fx.Level, Line: r.Range.Line, Col: r.Range.Col}})
		}
	}
	return out
}

// noteOnly records a fix without edits as not applied, on the finding's
// file: a rule's refusal with its reason, or a suggestion the user has to
// write.
func noteOnly(note FixNote, fx rule.Fix, file string, allowed map[string]bool, byFile map[string]*FileFix, files *[]string) error {
	if !allowed[file] {
		return nil
	}
	switch {
	case fx.Refused != "":
		note.Reason = "refused: " + fx.Refused
	case fx.Level == rule.FixSuggest:
		note.Reason = "a suggestion: shown, never applied"
	default:
		return nil
	}
	if byFile[file] == nil {
		ff, err := newFileFix(file)
		if err != nil {
			return err
		}
		byFile[file] = ff
		*files = append(*files, file)
	}
	byFile[file].Skipped = append(byFile[file].Skipped, note)
	return nil
}

// fileFixFor returns the FileFix of path, reading the file the first time.
func fileFixFor(byFile map[string]*FileFix, files *[]string, path string) (*FileFix, error) {
	if ff := byFile[path]; ff != nil {
		return ff, nil
	}
	ff, err := newFileFix(path)
	if err != nil {
		return nil, err
	}
	byFile[path] = ff
	*files = append(*files, path)
	return ff, nil
}

// applyFixes accepts each fix whose edits overlap no edit of a fix accepted
// before it (in any file it touches; a fix is applied whole or not at
// all), then rewrites each file with its accepted edits, from the end so
// that offsets stay valid.
func applyFixes(pending []pendingFix, byFile map[string]*FileFix) {
	taken := map[string][]takenEdit{}
	edits := map[string][]rule.Edit{}
	for _, p := range pending {
		target := byFile[p.fix.Edits[0].File]
		if why := overlapping(p.note.RuleID, p.fix.Edits, taken, byFile); why != "" {
			p.note.Reason = why
			target.Skipped = append(target.Skipped, p.note)
			continue
		}
		for _, e := range p.fix.Edits {
			taken[e.File] = append(taken[e.File], takenEdit{e.Start, e.End, p.note.RuleID})
			edits[e.File] = append(edits[e.File], e)
		}
		target.Applied = append(target.Applied, p.note)
	}
	for file, es := range edits {
		ff := byFile[file]
		// From the end, so that offsets stay valid. Of insertions at one
		// point, the more deeply indented text stands first (an item that
		// extends a nested YAML list before a key of the mapping around
		// it), then the order they were accepted in; the one to stand
		// last is applied first.
		order := make([]int, len(es))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool {
			a, b := es[order[i]], es[order[j]]
			if a.Start != b.Start {
				return a.Start > b.Start
			}
			if da, db := indentDepth(a.New), indentDepth(b.New); da != db {
				return da < db
			}
			return order[i] > order[j]
		})
		out := slices.Clone(ff.Before)
		for _, i := range order {
			e := es[i]
			text := []byte(e.New)
			if ff.crlf {
				text = bytes.ReplaceAll(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
			}
			out = slices.Concat(out[:e.Start], text, out[e.End:])
		}
		ff.After = out
		ff.edited = true
		ff.Edits = make([]rule.Edit, 0, len(order))
		for k := len(order) - 1; k >= 0; k-- {
			ff.Edits = append(ff.Edits, es[order[k]])
		}
	}
}

// indentDepth is the indentation of the first line of s that holds
// anything.
func indentDepth(s string) int {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimLeft(l, " "); strings.TrimSpace(t) != "" {
			return len(l) - len(t)
		}
	}
	return 0
}

// takenEdit is an accepted edit's range and the rule whose fix made it.
type takenEdit struct {
	start, end int
	rule       string
}

// overlapping says why a fix's edits cannot be applied: one overlaps an
// edit already taken, or falls outside its file; "" when they fit. Two
// insertions at one point conflict when one rule made both (two fixes of
// one rule may insert the same key; their order would be arbitrary), or
// when either replaces text; insertions of different rules at one point
// (two keys added at the end of one compose service) are applied in the
// order the fixes were accepted.
func overlapping(id string, es []rule.Edit, taken map[string][]takenEdit, byFile map[string]*FileFix) string {
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > len(byFile[e.File].Before) {
			return fmt.Sprintf("its edit of %s is outside the file", e.File)
		}
		for _, t := range taken[e.File] {
			if e.Start < t.end && t.start < e.End {
				return "it overlaps another fix applied first; run fix again to apply it"
			}
			if e.Start == t.start && (t.rule == id || e.End != e.Start || t.end != t.start) {
				return "it overlaps another fix applied first; run fix again to apply it"
			}
		}
	}
	return ""
}

// pendingFix is a fix chosen for a file, before overlaps are resolved.
type pendingFix struct {
	note FixNote
	fix  rule.Fix
}

func newFileFix(path string) (*FileFix, error) {
	data, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		return &FileFix{Path: path, Create: true}, nil
	case err != nil:
		return nil, fmt.Errorf("fix %s: %w", path, err)
	}
	return &FileFix{Path: path, Before: data, After: data, crlf: bytes.Contains(data, []byte("\r\n"))}, nil
}

// fixLevelsAllowed says which fix levels a --level applies.
func fixLevelsAllowed(level string) (map[rule.FixLevel]bool, error) {
	switch level {
	case "", "safe":
		return map[rule.FixLevel]bool{rule.FixSafe: true}, nil
	case "review", "all":
		return map[rule.FixLevel]bool{rule.FixSafe: true, rule.FixReview: true}, nil
	}
	return nil, fmt.Errorf("unknown fix level %q (want %s)", level, "safe, review or all")
}

func levelList(allowed map[rule.FixLevel]bool) string {
	if allowed[rule.FixReview] {
		return "safe and review fixes"
	}
	return "safe fixes only"
}

// WriteFixed writes a fixed file atomically: a temporary file in the same
// directory, with the original's mode, renamed over it, so that the file
// is the old one or the new one, never half of each. It refuses to write
// through a symbolic link.
func WriteFixed(ff *FileFix) error {
	mode := os.FileMode(0o644)
	if ff.Create && filepath.Base(filepath.Dir(ff.Path)) == "secrets" {
		// A secret moved out of a compose file goes to a directory made
		// for it. The file keeps the usual mode: compose bind-mounts it
		// as it is, and the container's user (postgres, not the owner)
		// must read it.
		if err := os.MkdirAll(filepath.Dir(ff.Path), 0o755); err != nil {
			return fmt.Errorf("fix %s: %w", ff.Path, err)
		}
	}
	if st, err := os.Lstat(ff.Path); err == nil {
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("fix %s: a symbolic link; fix the file it points at instead", ff.Path)
		}
		mode = st.Mode().Perm()
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("fix %s: %w", ff.Path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(ff.Path), ".shipshape-fix-*")
	if err != nil {
		return fmt.Errorf("fix %s: %w", ff.Path, err)
	}
	_, werr := tmp.Write(ff.After)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), mode)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), ff.Path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("fix %s: %w", ff.Path, werr)
	}
	return nil
}

// sortedPending orders a file's fixes by the position of their first edit,
// then rule ID, so that overlaps resolve the same way on every run.
func sortedPending(ps []pendingFix) []pendingFix {
	out := slices.Clone(ps)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].fix.Edits[0], out[j].fix.Edits[0]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return out[i].note.RuleID < out[j].note.RuleID
	})
	return out
}

// fixableFiles are the files a fix may write: those the run linted, and a
// .dockerignore beside each of them (a new file fix may create).
func fixableFiles(res *Result) map[string]bool {
	ok := map[string]bool{}
	for _, f := range res.Files {
		ok[f] = true
		ok[filepath.Join(filepath.Dir(f), ".dockerignore")] = true
	}
	return ok
}

// allEditsIn reports whether every edit is of a file the run may write: one
// in ok, or a new file in a secrets directory beside a linted file (where a
// compose fix moves a literal secret out of the compose file). A file in
// secrets/ is only ever created, never edited.
func allEditsIn(es []rule.Edit, ok map[string]bool) bool {
	for _, e := range es {
		if ok[e.File] {
			continue
		}
		if !isSecretFile(e.File, ok) {
			return false
		}
		if _, err := os.Lstat(e.File); !os.IsNotExist(err) {
			return false
		}
	}
	return true
}

// FixSource applies, in memory, the fixes of the chosen level that the
// findings of one source carry and that edit only that source (a new
// .dockerignore is left to Fix), with the overlap resolution of Fix. It
// is the fixer for a buffer (an editor's, a test's, a corpus run's) that
// is not read from disk; findings are those LintDockerfile (or another
// Lint function) returned for src under the name file. only, when not
// empty, limits the fixes to these rule IDs.
func FixSource(file string, src []byte, findings []rule.Finding, level string, only map[string]bool) (*FileFix, error) {
	allowed, err := fixLevelsAllowed(level)
	if err != nil {
		return nil, err
	}
	ff := &FileFix{Path: file, Before: src, After: src, crlf: bytes.Contains(src, []byte("\r\n"))}
	byFile := map[string]*FileFix{file: ff}
	var pending []pendingFix
	for _, f := range findings {
		if f.Suppression != nil {
			continue
		}
		for _, of := range fixesOf(f) {
			fx, note := of.fix, of.note
			if len(only) > 0 && !only[note.RuleID] {
				continue
			}
			switch {
			case len(fx.Edits) == 0:
				var files []string
				_ = noteOnly(note, fx, file, map[string]bool{file: true}, byFile, &files)
				continue
			case !allEditsIn(fx.Edits, map[string]bool{file: true}):
				continue
			case fx.Level == rule.FixSuggest:
				note.Reason = "a suggestion: shown, never applied"
			case !allowed[fx.Level]:
				note.Reason = fmt.Sprintf("level %s (--level %s applies %s)", fx.Level, level, levelList(allowed))
			}
			if note.Reason != "" {
				ff.Skipped = append(ff.Skipped, note)
				continue
			}
			pending = append(pending, pendingFix{note: note, fix: fx})
		}
	}
	applyFixes(sortedPending(pending), byFile)
	return ff, nil
}

// existingNewFile returns the first file in a secrets directory that a
// fix would create but that exists already, "" when there is none.
func existingNewFile(es []rule.Edit, ok map[string]bool) string {
	for _, e := range es {
		if !ok[e.File] && isSecretFile(e.File, ok) {
			if _, err := os.Lstat(e.File); !os.IsNotExist(err) {
				return e.File
			}
		}
	}
	return ""
}

// isSecretFile reports whether path is a file in a directory named
// secrets beside one of the files in linted.
func isSecretFile(path string, linted map[string]bool) bool {
	dir := filepath.Dir(path)
	if filepath.Base(dir) != "secrets" || filepath.Base(path) == "." {
		return false
	}
	parent := filepath.Dir(dir)
	for f := range linted {
		if filepath.Dir(f) == parent {
			return true
		}
	}
	return false
}
