package engine

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// locate completes the location and identity of findings in one source:
// byte offsets of each range, and the token (the text the range covers)
// where the rule set none. ix is the source's index; scope, when not nil,
// names the stage or service a line belongs to.
func locate(fs []rule.Finding, file string, ix *loc.Index, scope func(line int) string) {
	for i := range fs {
		f := &fs[i]
		if f.File != file || f.Image != nil || f.Range.Line < 1 {
			continue
		}
		if s, e, ok := ix.Offsets(f.Range); ok {
			f.Range.Offset, f.Range.EndOffset = s, e
		}
		resolveEdits(f, file, ix)
		if f.Token == "" {
			f.Token = ix.Text(f.Range)
		}
		if f.Scope == "" && scope != nil {
			f.Scope = scope(f.Range.Line)
		}
	}
}

// stageScope names the stage a Dockerfile line belongs to: its alias, or
// its base image when it has none (never its index, which moves when a
// stage is added above). Lines before the first FROM belong to no stage.
func stageScope(df *dockerfile.File) func(int) string {
	return func(line int) string {
		var at *dockerfile.Stage
		for _, s := range df.Stages {
			if s.From != nil && s.From.Range.Line <= line {
				at = s
			}
		}
		switch {
		case at == nil:
			return ""
		case at.Name != "":
			return "stage " + at.Name
		}
		return "stage from " + at.BaseName
	}
}

// locateDockerfile completes the findings located in a Dockerfile.
func locateDockerfile(fs []rule.Finding, df *dockerfile.File) {
	if df == nil {
		return
	}
	locate(fs, df.Path, loc.NewIndex(df.Source), stageScope(df))
}

// locateRuntime completes the findings of a runtime project: each finding
// belongs to the service (or container) whose definition starts last at
// or above its line in the same file, and is also located at that
// container. Files are read from disk once each; a project read from
// stdin passes its data in inline.
func locateRuntime(fs []rule.Finding, p *container.Project, inline map[string][]byte) {
	byFile := map[string][]*container.Spec{}
	for _, s := range p.Specs {
		byFile[s.Self.File] = append(byFile[s.Self.File], s)
	}
	files := map[string]bool{}
	for _, f := range fs {
		if f.Image == nil && f.File != "" {
			files[f.File] = true
		}
	}
	for file := range files {
		data, ok := inline[file]
		if !ok {
			var err error
			if data, err = readBounded(file); err != nil {
				continue
			}
		}
		specs := byFile[file]
		owner := func(line int) *container.Spec {
			var at *container.Spec
			for _, s := range specs {
				if s.Self.Range.Line <= line && (at == nil || s.Self.Range.Line >= at.Self.Range.Line) {
					at = s
				}
			}
			return at
		}
		locate(fs, file, loc.NewIndex(data), func(line int) string {
			if s := owner(line); s != nil {
				return "service " + s.Name
			}
			return ""
		})
		for i := range fs {
			f := &fs[i]
			if f.File != file || f.Container != nil {
				continue
			}
			if s := owner(f.Range.Line); s != nil {
				f.Container = containerOf(p, s)
			}
		}
	}
}

// containerOf is where a runtime finding is, as a container: the compose
// service, or the container name of a docker run line or inspect output.
func containerOf(p *container.Project, s *container.Spec) *rule.ContainerLocation {
	if p.Source == container.SourceCompose {
		return &rule.ContainerLocation{Service: s.Name}
	}
	return &rule.ContainerLocation{Name: s.Name}
}

// readBounded reads a file that findings point at, refusing anything
// larger than an input may be.
func readBounded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, os.ErrInvalid
	}
	return os.ReadFile(path)
}

// fingerprint assigns the fingerprints of one run's sorted findings, with
// paths relative to the repository each file is in (the nearest directory
// above it holding .git), else as given (docs/contract.md).
func fingerprint(fs []rule.Finding) { fingerprintWith(fs, nil) }

// fingerprintWith is fingerprint with the directory listings of a
// discovery walk answering the repository-root checks (nil: none).
func fingerprintWith(fs []rule.Finding, lst *config.Listing) {
	// AssignFingerprints asks from several goroutines, and repoPaths keeps
	// its answers in maps: each file's answer is found first, the files
	// cut into parts, one per core, each with its own repoPaths.
	var files []string
	index := map[string]int{}
	for i := range fs {
		if f := fs[i].File; fs[i].Image == nil {
			if _, ok := index[f]; !ok {
				index[f] = len(files)
				files = append(files, f)
			}
		}
	}
	rels := make([]string, len(files))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(files)/minRelPart))
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			rp := repoPaths{roots: map[string]string{}, files: map[string]string{}, listing: lst}
			for i := p * len(files) / parts; i < (p+1)*len(files)/parts; i++ {
				rels[i] = rp.rel(files[i])
			}
		})
	}
	wg.Wait()
	rule.AssignFingerprints(fs, func(file string) string { return rels[index[file]] })
}

// minRelPart is the fewest files worth a goroutine of their own when
// finding their repository-relative paths.
const minRelPart = 256

// repoPaths answers repoRelative for one fingerprint pass. A run has
// thousands of findings in a few hundred files, and filepath.Abs reads the
// working directory again for each (two stat calls), so the working
// directory is read once and each file's answer is kept.
type repoPaths struct {
	wd     string
	wdErr  error
	wdRead bool
	// roots caches the root found for each directory ("" for none), files
	// the answer for each file.
	roots, files map[string]string
	listing      *config.Listing
}

// rel returns file relative to its repository root, with forward slashes.
func (rp *repoPaths) rel(file string) string {
	if r, ok := rp.files[file]; ok {
		return r
	}
	r := rp.compute(file)
	rp.files[file] = r
	return r
}

// abs is filepath.Abs with the working directory read once.
func (rp *repoPaths) abs(file string) (string, error) {
	if filepath.IsAbs(file) {
		return filepath.Clean(file), nil
	}
	if !rp.wdRead {
		rp.wd, rp.wdErr = os.Getwd()
		rp.wdRead = true
	}
	if rp.wdErr != nil {
		return "", rp.wdErr
	}
	return filepath.Join(rp.wd, file), nil
}

// root returns the nearest directory from dir upwards that holds .git, ""
// for none. Every directory it looks at keeps its answer, so that files in
// sibling directories stat their common ancestors once.
func (rp *repoPaths) root(dir string) string {
	if r, ok := rp.roots[dir]; ok {
		return r
	}
	r := ""
	if exists, _ := rp.listing.Stat(filepath.Join(dir, ".git")); exists {
		r = dir
	} else if parent := filepath.Dir(dir); parent != dir {
		r = rp.root(parent)
	}
	rp.roots[dir] = r
	return r
}

func (rp *repoPaths) compute(file string) string {
	abs, err := rp.abs(file)
	if err != nil || file == "" || file == "-" {
		return filepath.ToSlash(file)
	}
	root := rp.root(filepath.Dir(abs))
	if root == "" {
		return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(file)), "./")
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

// resolveEdits turns the line and column ranges of a finding's fix edits in
// file into byte offsets; edits of other files keep their offsets.
func resolveEdits(f *rule.Finding, file string, ix *loc.Index) {
	for i := range f.Fixes {
		for j := range f.Fixes[i].Edits {
			e := &f.Fixes[i].Edits[j]
			if e.File == "" {
				e.File = f.File
			}
			if e.File != file || e.Range.Line < 1 {
				continue
			}
			if s, end, ok := ix.Offsets(e.Range); ok {
				e.Start, e.End = s, end
			}
		}
	}
}
