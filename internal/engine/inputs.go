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
	inputs, _, errs := discover(paths, forcedKind, stdin, nil, nil)
	return inputs, errs
}

// discover is Discover that also records, when lst is not nil, the
// listing of every directory its walks read whole (see config.Listing).
// When early is set, each Dockerfile is handed to it as soon as it is
// found, and once a walk has listed everything below its directory (its
// build context, for the build-context rules): tickets holds what early
// returned for each input, -1 for inputs it was not given.
func discover(paths []string, forcedKind string, stdin io.Reader, lst *config.Listing, early func(Input) int) (inputs []Input, tickets []int, errs []error) {
	var out []Input
	add := func(in Input) {
		t := -1
		if early != nil && in.Kind == KindDockerfile {
			t = early(in)
		}
		out = append(out, in)
		tickets = append(tickets, t)
	}
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
			add(Input{Path: "-", Kind: kind, Data: data, Script: dockerrun.Script})
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
			add(in)
			continue
		}
		w := treeWalk{lst: lst, early: early}
		w.walk(p)
		errs = append(errs, w.errs...)
		out = append(out, w.found...)
		tickets = append(tickets, w.tickets...)
	}
	return out, tickets, errs
}

// treeWalk finds the inputs under one directory, as filepath.WalkDir
// would visit it: entries by name, symbolic links not followed, skipDirs
// not entered, an unreadable directory reported and left out.
type treeWalk struct {
	lst   *config.Listing
	early func(Input) int
	// listed says lst records the directories (it has a working
	// directory to make their paths absolute with).
	listed  bool
	found   []Input
	tickets []int
	errs    []error
}

func (w *treeWalk) walk(root string) {
	if w.lst != nil {
		_, w.listed = w.lst.Abs(".")
	}
	info, err := os.Lstat(root)
	switch {
	case err != nil:
		w.errs = append(w.errs, pathError(root, err))
		w.forget(root)
	case info.IsDir():
		w.dir(root)
	case info.Mode().IsRegular():
		w.file(root, info.Name(), nil)
	}
	// An override file merges into the compose.yaml beside it and is not
	// linted on its own.
	composeByDir := map[string][]int{}
	for i, in := range w.found {
		if in.Kind == KindCompose {
			composeByDir[filepath.Dir(in.Path)] = append(composeByDir[filepath.Dir(in.Path)], i)
		}
	}
	drop := map[int]bool{}
	for dir, idx := range composeByDir {
		for _, i := range idx {
			if o := compose.OverrideFile(w.found[i].Path); o != "" {
				for _, j := range composeByDir[dir] {
					if w.found[j].Path == o {
						drop[j] = true
					}
				}
			}
		}
	}
	order := make([]int, 0, len(w.found))
	for i := range w.found {
		if !drop[i] {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return w.found[order[a]].Path < w.found[order[b]].Path })
	found := make([]Input, len(order))
	tickets := make([]int, len(order))
	for k, i := range order {
		found[k], tickets[k] = w.found[i], w.tickets[i]
	}
	w.found, w.tickets = found, tickets
}

// forget marks path as not listed (its listing failed or was partial).
func (w *treeWalk) forget(path string) {
	if w.listed {
		a, _ := w.lst.Abs(path)
		w.lst.Forget(a)
	}
}

// dir lists one directory whole, records the listing, walks what is
// below it, and only then hands its Dockerfiles to early: by then every
// directory of their build context is in the listing.
func (w *treeWalk) dir(path string) {
	entries, err := os.ReadDir(path)
	if err != nil {
		w.errs = append(w.errs, pathError(path, err))
		w.forget(path)
		return
	}
	if w.listed {
		a, _ := w.lst.Abs(path)
		w.lst.Dir(a)
		for _, e := range entries {
			w.lst.AddEntry(a, e)
		}
	}
	var dockerfiles []int
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(path, name)
		switch {
		case e.IsDir():
			if !skipDirs[name] {
				w.dir(p)
			}
		case e.Type().IsRegular():
			w.file(p, name, &dockerfiles)
		}
	}
	for _, i := range dockerfiles {
		w.tickets[i] = w.early(w.found[i])
	}
}

// file classifies one regular file; a Dockerfile's index goes to
// dockerfiles when early wants it (nil: handed over at once).
func (w *treeWalk) file(path, name string, dockerfiles *[]int) {
	kind, script := kindByName(path)
	var in Input
	switch kind {
	case KindDockerfile:
		in = Input{Path: path, Kind: KindDockerfile}
	case KindCompose:
		in = Input{Path: path, Kind: KindCompose, walked: true}
	case KindScript:
		in = Input{Path: path, Kind: KindScript, Script: script, walked: true}
	case "":
		switch {
		case !strings.Contains(name, ".") && hasShebang(path):
			// An extensionless executable may be a shell script.
			in = Input{Path: path, Kind: KindScript, Script: dockerrun.Script, walked: true}
		case isYAMLName(name) && looksCompose(path):
			in = Input{Path: path, Kind: KindCompose, walked: true}
		default:
			return
		}
	default:
		return
	}
	w.found = append(w.found, in)
	w.tickets = append(w.tickets, -1)
	if in.Kind == KindDockerfile && w.early != nil {
		if dockerfiles != nil {
			*dockerfiles = append(*dockerfiles, len(w.found)-1)
		} else {
			w.tickets[len(w.tickets)-1] = w.early(in)
		}
	}
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
