package corpus

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ComposeLintKind is what a compose-lint fixture's name says it is.
type ComposeLintKind string

// Kinds of compose-lint fixtures, from their name prefix.
const (
	ComposeInsecure ComposeLintKind = "insecure" // must produce a finding of its concept
	ComposeSafe     ComposeLintKind = "safe"     // must produce no finding of its concept
	ComposeInvalid  ComposeLintKind = "invalid"  // must be reported as invalid input, without a crash
	ComposeValid    ComposeLintKind = "valid"    // must load
	ComposeConfig   ComposeLintKind = "config"   // the peer's own configuration, not a compose file
	ComposeOther    ComposeLintKind = "other"    // anything else (mixed examples, fragments)
)

// ComposeFile is one compose fixture from a peer's test suite.
type ComposeFile struct {
	// Name is the path below the corpus directory.
	Name string
	// Path is the file on disk.
	Path string
	Kind ComposeLintKind
	// Concept is the name after the kind prefix (`cap_add` for
	// insecure_cap_add.yml), or the whole base name for other files.
	Concept string
	Text    []byte
}

// ComposeLintFiles returns the compose-lint fixtures of
// compose_lint/tests/compose_files/, classified by name as
// ../shared/corpus/README.md describes.
func ComposeLintFiles(corpusDir string) ([]ComposeFile, error) {
	dir := filepath.Join(corpusDir, "compose_lint", "tests", "compose_files")
	paths, err := filepath.Glob(filepath.Join(dir, "*.y*ml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []ComposeFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		base := filepath.Base(p)
		stem := strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml")
		f := ComposeFile{Name: filepath.ToSlash(filepath.Join("compose_lint", "tests", "compose_files", base)), Path: p, Text: data,
			Kind: ComposeOther, Concept: stem}
		switch {
		case stem == "compose_lint_config" || stem == "suppress_config":
			f.Kind = ComposeConfig
		case stem == "legacy_v1_compose":
			f.Kind = ComposeValid
		default:
			for _, k := range []ComposeLintKind{ComposeInsecure, ComposeSafe, ComposeInvalid, ComposeValid} {
				if c, ok := strings.CutPrefix(stem, string(k)+"_"); ok {
					f.Kind, f.Concept = k, c
					break
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}
