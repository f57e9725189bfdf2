package scan

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
)

// Input kinds recognised by lint.
const (
	KindDockerfile = "dockerfile"
)

// Input is one file to lint.
type Input struct {
	// Path as the user will see it in findings ("-" shown as "stdin").
	Path string
	Kind string
	// Data is set for stdin.
	Data []byte
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

var reLooksDockerfile = regexp.MustCompile(`(?im)^\s*(FROM|ARG)\s+\S`)

// LooksLikeDockerfile sniffs content: a FROM or ARG instruction at the start
// of a line.
func LooksLikeDockerfile(data []byte) bool {
	return reLooksDockerfile.Match(data)
}

// Discover expands paths into inputs. Directories are walked for
// Dockerfiles; files given explicitly are taken by name, then content, or
// as forcedKind. Problems (missing paths, unreadable files) are returned as
// errors alongside whatever inputs were found.
func Discover(paths []string, forcedKind string, stdin io.Reader) ([]Input, []error) {
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
				kind = KindDockerfile
			}
			out = append(out, Input{Path: "-", Kind: kind, Data: data})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, pathError(p, err))
			continue
		}
		if !st.IsDir() {
			kind := forcedKind
			if kind == "" {
				kind = sniffFile(p)
			}
			if kind == "" {
				errs = append(errs, fmt.Errorf("%s: not a Dockerfile by name or content (use --type dockerfile to lint it anyway)", p))
				continue
			}
			out = append(out, Input{Path: p, Kind: kind})
			continue
		}
		var found []Input
		walkErr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, pathError(path, err))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != p && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if IsDockerfileName(d.Name()) {
				found = append(found, Input{Path: path, Kind: KindDockerfile})
			}
			return nil
		})
		if walkErr != nil {
			errs = append(errs, walkErr)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
		out = append(out, found...)
	}
	return out, errs
}

func sniffFile(p string) string {
	if IsDockerfileName(filepath.Base(p)) {
		return KindDockerfile
	}
	f, err := os.Open(p)
	if err != nil {
		return KindDockerfile // the read error is reported when linting
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.IndexByte(head, 0) >= 0 {
		return ""
	}
	if LooksLikeDockerfile(head) {
		return KindDockerfile
	}
	return ""
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
