package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerrun"
	"github.com/shipshape-sec/shipshape/internal/inspect"
)

// Input kinds recognised by lint.
const (
	KindDockerfile = "dockerfile"
	// KindCompose is a compose file (or several merged, see Input.Files).
	KindCompose = "compose"
	// KindScript is a shell script, Makefile or CI workflow, searched for
	// `docker run` lines.
	KindScript = "script"
	// KindInspect is `docker inspect` / `podman inspect` JSON.
	KindInspect = "inspect"
	// KindDockerignore is a .dockerignore file; its rules run with the
	// build context of a Dockerfile beside it.
	KindDockerignore = "dockerignore"
	// KindCommand is a command line given with --docker-run.
	KindCommand = "command"
)

// Kinds lists the values --type accepts.
var Kinds = []string{KindDockerfile, KindCompose, KindScript, KindInspect}

// Input is one thing to lint.
type Input struct {
	// Path as the user will see it in findings ("-" shown as "stdin").
	Path string
	Kind string
	// Data is set for stdin (and holds the command of KindCommand).
	Data []byte
	// Files are the compose files merged in order for a compose input
	// given with --compose; empty means Path alone (plus the automatic
	// override file beside a default-named compose file).
	Files []string
	// Script says what kind of script a KindScript input is.
	Script dockerrun.Kind
	// walked is true for inputs found by a directory walk, which are
	// dropped silently when they turn out to hold nothing to lint (a shell
	// script without `docker run`, a compose-named file that is empty or
	// not compose at all).
	walked bool
}

// skipDirs are never descended into during a directory walk.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

var reDockerfileName = regexp.MustCompile(`(?i)^(dockerfile|containerfile)([._-].+)?$|.+[.]dockerfile$|.+[.]containerfile$`)

// IsDockerfileName reports whether a file name marks a Dockerfile:
// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and the common
// Dockerfile-dev / Dockerfile_ci variants (case-insensitive).
// Dockerfile.dockerignore companions and documents such as Dockerfile.md
// are not Dockerfiles.
func IsDockerfileName(name string) bool {
	ln := strings.ToLower(name)
	for _, ext := range []string{".dockerignore", ".md", ".txt", ".orig", ".rej", ".bak", ".swp", ".json", ".yaml", ".yml", ".sh", ".py", ".go"} {
		if strings.HasSuffix(ln, ext) {
			return false
		}
	}
	return reDockerfileName.MatchString(name)
}

var reComposeName = regexp.MustCompile(`(?i)^(docker-)?compose.*\.ya?ml$|^.+[._-]compose([._-].*)?\.ya?ml$|^docker-stack([._-].*)?\.ya?ml$`)

// IsComposeName reports whether a file name marks a compose file:
// compose*.y*ml, docker-compose*.y*ml, a name with "compose" as a word
// (curator-compose.yml, app.compose.yaml, dev_compose.yml) or a swarm
// stack file (docker-stack*.y*ml), case-insensitively.
func IsComposeName(name string) bool { return reComposeName.MatchString(name) }

// isYAMLName reports whether a file name has a YAML extension.
func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yml" || ext == ".yaml"
}

// IsDockerignoreName reports whether a file name is a .dockerignore (or a
// Dockerfile-specific <name>.dockerignore).
func IsDockerignoreName(name string) bool {
	return name == ".dockerignore" || strings.HasSuffix(name, ".dockerignore")
}

var reLooksDockerfile = regexp.MustCompile(`(?im)^\s*(FROM|ARG)\s+\S`)

// LooksLikeDockerfile sniffs content: a FROM or ARG instruction at the start
// of a line.
func LooksLikeDockerfile(data []byte) bool {
	return reLooksDockerfile.Match(data)
}

var reServicesKey = regexp.MustCompile(`(?m)^services:[ \t]*(#.*)?\r?$`)

// LooksLikeCompose sniffs content: YAML with a top-level `services:` key.
func LooksLikeCompose(data []byte) bool { return reServicesKey.Match(data) }

// sniff decides the kind of content that has no telling name.
func sniff(data []byte) string {
	if bytes.IndexByte(data, 0) >= 0 {
		return ""
	}
	switch {
	case inspect.Looks(data):
		return KindInspect
	case dockerrun.HasShellShebang(data):
		return KindScript
	case LooksLikeCompose(data):
		return KindCompose
	case LooksLikeDockerfile(data):
		return KindDockerfile
	}
	return ""
}

// kindByName decides by the file name alone; "" when the name says
// nothing.
func kindByName(path string) (string, dockerrun.Kind) {
	base := filepath.Base(path)
	switch {
	case IsDockerignoreName(base):
		return KindDockerignore, ""
	case IsDockerfileName(base):
		return KindDockerfile, ""
	case IsComposeName(base):
		return KindCompose, ""
	}
	if k, ok := dockerrun.KindByName(path); ok {
		return KindScript, k
	}
	return "", ""
}

// Discover expands paths into inputs. Directories are walked for
// Dockerfiles, compose files (by name, or YAML that compose.Looks at),
// shell scripts (by extension or
// shebang), Makefiles and CI workflows; files given explicitly are taken
// by name, then content, or as forcedKind. Problems (missing paths,
// unreadable files) are returned as errors alongside whatever inputs were
// found.
func Discover(paths []string, forcedKind string, stdin io.Reader) ([]Input, []error) {
	return discover(paths, forcedKind, stdin, nil)
}

// discover is Discover that also records, when lst is not nil, the
// listing of every directory its walks read whole (see config.Listing).
func discover(paths []string, forcedKind string, stdin io.Reader, lst *config.Listing) ([]Input, []error) {
	var out []Input
	var errs []error
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(io.LimitReader(stdin, maxFileSize+1))
			if err != nil {
				errs = append(errs, fmt.Errorf("stdin: %w", err))
				continue
			}
			if len(data) > maxFileSize {
				errs = append(errs, fmt.Errorf("stdin: larger than %d MiB", maxFileSize>>20))
				continue
			}
			kind := forcedKind
			if kind == "" {
				kind = sniff(data)
			}
			if kind == "" {
				kind = KindDockerfile
			}
			out = append(out, Input{Path: "-", Kind: kind, Data: data, Script: dockerrun.Script})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, pathError(p, err))
			continue
		}
		if !st.IsDir() {
			in := Input{Path: p, Kind: forcedKind}
			nameKind, script := kindByName(p)
			in.Script = script
			if in.Kind == "" {
				in.Kind = nameKind
			}
			if in.Kind == "" {
				in.Kind = sniffFile(p)
			}
			if in.Kind == KindScript && in.Script == "" {
				in.Script = dockerrun.Script
			}
			if in.Kind == "" {
				errs = append(errs, fmt.Errorf("%s: not a Dockerfile, compose file, script or inspect document by name or content (use --type to lint it anyway)", p))
				continue
			}
			out = append(out, in)
			continue
		}
		found, werrs := walk(p, lst)
		errs = append(errs, werrs...)
		out = append(out, found...)
	}
	return out, errs
}

// walk finds the inputs under a directory.
func walk(root string, lst *config.Listing) ([]Input, []error) {
	var found []Input
	var errs []error
	composeByDir := map[string][]int{}
	// abs names a walked path as config.Finder does (the working directory
	// joined), for the listing; without a working directory there is none.
	var abs func(string) string
	if lst != nil {
		if _, ok := lst.Abs("."); ok {
			abs = func(p string) string { a, _ := lst.Abs(p); return a }
		}
	}
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, pathError(path, err))
			if abs != nil {
				// Not read, or not read whole: not known.
				lst.Forget(abs(path))
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if abs != nil && path != root {
			lst.AddEntry(abs(filepath.Dir(path)), d)
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return fs.SkipDir
			}
			if abs != nil {
				// WalkDir reads it next, whole unless it reports an error.
				lst.Dir(abs(path))
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		name := d.Name()
		kind, script := kindByName(path)
		switch kind {
		case KindDockerfile:
			found = append(found, Input{Path: path, Kind: KindDockerfile})
		case KindCompose:
			composeByDir[filepath.Dir(path)] = append(composeByDir[filepath.Dir(path)], len(found))
			found = append(found, Input{Path: path, Kind: KindCompose, walked: true})
		case KindScript:
			found = append(found, Input{Path: path, Kind: KindScript, Script: script, walked: true})
		case "":
			switch {
			case !strings.Contains(name, ".") && hasShebang(path):
				// An extensionless executable may be a shell script.
				found = append(found, Input{Path: path, Kind: KindScript, Script: dockerrun.Script, walked: true})
			case isYAMLName(name) && looksCompose(path):
				composeByDir[filepath.Dir(path)] = append(composeByDir[filepath.Dir(path)], len(found))
				found = append(found, Input{Path: path, Kind: KindCompose, walked: true})
			}
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	// An override file merges into the compose.yaml beside it and is not
	// linted on its own.
	drop := map[int]bool{}
	for dir, idx := range composeByDir {
		for _, i := range idx {
			if o := compose.OverrideFile(found[i].Path); o != "" {
				for _, j := range composeByDir[dir] {
					if found[j].Path == o {
						drop[j] = true
					}
				}
			}
		}
	}
	out := found[:0]
	for i, in := range found {
		if !drop[i] {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, errs
}

// looksCompose reads a YAML file a walk met under a name that says
// nothing, and tells whether it is a compose file (compose.Looks).
func looksCompose(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, compose.MaxFileSize+1))
	return err == nil && compose.Looks(data)
}

func hasShebang(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 128)
	n, _ := io.ReadFull(f, head)
	return dockerrun.HasShellShebang(head[:n])
}

func sniffFile(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return KindDockerfile // the read error is reported when linting
	}
	defer f.Close()
	// Inspect documents put HostConfig after much else: a podman inspect
	// object has it about 10 KiB in, so sniff as far as inspect.Looks does.
	head := make([]byte, 1<<16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if inspectByExt := strings.EqualFold(filepath.Ext(p), ".json"); inspectByExt && bytes.Contains(head, []byte(`"HostConfig"`)) {
		return KindInspect
	}
	return sniff(head)
}

func pathError(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file or directory", p)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied", p)
	}
	return err
}
