package buildctx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// Limits applied when Options leaves them zero.
const (
	// DefaultMaxFiles bounds the entries (files and directories) a walk
	// visits; beyond it the context is reported as truncated.
	DefaultMaxFiles = 2_000_000
	// DefaultMaxRead bounds what is read of a credential candidate file.
	DefaultMaxRead = 64 << 10
	// maxIgnoreFile bounds the ignore file itself.
	maxIgnoreFile = 4 << 20
)

// Options bound one Load.
type Options struct {
	// MaxFiles stops the walk after this many entries; 0 means
	// DefaultMaxFiles.
	MaxFiles int
	// MaxRead bounds the bytes read from each credential candidate; 0 means
	// DefaultMaxRead.
	MaxRead int64
	// Listing, when set, answers the existence checks (the context
	// directory, the ignore files) for directories a lint's discovery
	// walk read, as os.Stat would, and lists those directories for the
	// walk; nil asks the file system.
	Listing *config.Listing
}

// Load builds the model of the context `docker build` would send.
//
// dir is the context directory; "" means the Dockerfile's directory (the
// default of `docker build -f path/Dockerfile path/`, and what compose uses
// without build.context). dockerfilePath is the Dockerfile on disk, used to
// find `<Dockerfile>.dockerignore`, which BuildKit prefers over the
// context's `.dockerignore`. f is the parsed Dockerfile (may be nil).
//
// The walk applies the ignore patterns with moby/patternmatcher exactly as
// Docker does, `!` re-includes included; it prunes an excluded directory
// only when no `!` pattern could re-include something below it, never
// follows symbolic links, never reads file contents except the first
// MaxRead bytes of .npmrc/.pypirc/.netrc-like files, and stops after
// MaxFiles entries (Context.Truncated).
func Load(dir, dockerfilePath string, f *dockerfile.File, opts Options) (*Context, error) {
	if dir == "" {
		if dockerfilePath == "" {
			return nil, errors.New("build context: neither a directory nor a Dockerfile path")
		}
		dir = filepath.Dir(dockerfilePath)
	}
	if exists, isDir, known := opts.Listing.Known(dir); !known || !exists || !isDir {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("build context: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("build context %s: not a directory", dir)
		}
	}
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxFiles
	}
	if opts.MaxRead <= 0 {
		opts.MaxRead = DefaultMaxRead
	}
	c := &Context{Dir: filepath.Clean(dir), Dockerfile: f, DockerfilePath: dockerfilePath}
	c.IgnoreFile = findIgnoreFile(c.Dir, dockerfilePath, opts.Listing)
	if c.IgnoreFile != "" {
		if err := c.readIgnoreFile(); err != nil {
			return nil, err
		}
	}
	w := &walker{c: c, m: c.matcher, max: opts.MaxFiles, maxRead: opts.MaxRead, listing: opts.Listing}
	if w.m != nil && w.m.Exclusions() {
		for _, p := range c.Patterns {
			if p.Exclusion {
				w.reinclude = append(w.reinclude, literalPrefix(p.Text))
			}
		}
	}
	c.TotalFiles, c.TotalSize = w.walk(c.Dir, "", patternmatcher.MatchInfo{})
	sort.Slice(c.Files, func(i, j int) bool { return c.Files[i].Path < c.Files[j].Path })
	sort.Slice(c.Dirs, func(i, j int) bool { return c.Dirs[i].Path < c.Dirs[j].Path })
	sort.Slice(c.Excluded, func(i, j int) bool { return c.Excluded[i].Path < c.Excluded[j].Path })
	c.index = make(map[string]int, len(c.Files))
	for i, fl := range c.Files {
		c.index[fl.Path] = i
	}
	return c, nil
}

// FindIgnoreFile returns the ignore file BuildKit would use:
// `<Dockerfile>.dockerignore` beside the Dockerfile when it exists, else
// `.dockerignore` at the context root, else "".
func FindIgnoreFile(dir, dockerfilePath string) string {
	return findIgnoreFile(dir, dockerfilePath, nil)
}

// findIgnoreFile is FindIgnoreFile with a listing (nil: none) answering
// the two existence checks.
func findIgnoreFile(dir, dockerfilePath string, l *config.Listing) string {
	if dockerfilePath != "" {
		if p := dockerfilePath + ".dockerignore"; l.Regular(p) {
			return p
		}
	}
	if p := filepath.Join(dir, ".dockerignore"); l.Regular(p) {
		return p
	}
	return ""
}

// readIgnoreFile parses the ignore file with the same code Docker uses
// (ignorefile.ReadAll) and records each pattern's line.
func (c *Context) readIgnoreFile() error {
	fh, err := os.Open(c.IgnoreFile)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.IgnoreFile, err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxIgnoreFile+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.IgnoreFile, err)
	}
	if len(data) > maxIgnoreFile {
		return fmt.Errorf("%s: larger than %d MiB", c.IgnoreFile, maxIgnoreFile>>20)
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		c.PatternErr = &PatternError{Line: 1, Err: fmt.Errorf("unreadable ignore file: %w", err)}
		return nil
	}
	lines, comments := patternLines(data)
	c.IgnoreComments = comments
	if len(lines) != len(patterns) {
		// ReadAll and patternLines read lines the same way; should they
		// ever disagree, the patterns stay right and only lines are lost.
		lines = make([]int, len(patterns))
	}
	for i, p := range patterns {
		pt := Pattern{Text: p, Line: lines[i]}
		if strings.HasPrefix(p, "!") {
			pt.Exclusion, pt.Text = true, p[1:]
		}
		c.Patterns = append(c.Patterns, pt)
	}
	m, err := patternmatcher.New(patterns)
	if err != nil {
		// Name the line that breaks the file.
		pe := &PatternError{Err: err}
		for i, p := range patterns {
			if _, err1 := patternmatcher.New([]string{p}); err1 != nil {
				pe.Line, pe.Pattern, pe.Err = lines[i], p, err1
				break
			}
		}
		c.PatternErr = pe
		return nil
	}
	c.matcher = m
	return nil
}

// patternLines returns the line of every pattern ignorefile.ReadAll keeps,
// reading lines exactly as it does, and the comment lines.
func patternLines(data []byte) (lines []int, comments []Comment) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		b := sc.Bytes()
		if n == 0 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		n++
		s := string(b)
		if strings.HasPrefix(s, "#") {
			comments = append(comments, Comment{Line: n, Text: strings.TrimSpace(s[1:])})
			continue
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		lines = append(lines, n)
	}
	return lines, comments
}

// literalPrefix is the part of a pattern before its first wildcard.
func literalPrefix(p string) string {
	if i := strings.IndexAny(p, `*?[\`); i >= 0 {
		return p[:i]
	}
	return p
}

type walker struct {
	c       *Context
	m       *patternmatcher.PatternMatcher
	max     int
	n       int
	maxRead int64
	// reinclude are the literal prefixes of the `!` patterns.
	reinclude []string
	// listing answers ReadDir for directories discovery read (nil: the
	// file system).
	listing *config.Listing
}

// mayReinclude reports whether some `!` pattern could match a path below
// the excluded directory rel, in which case the walk must descend (Docker
// prunes such a directory only when none could).
func (w *walker) mayReinclude(rel string) bool {
	d := rel + "/"
	for _, lp := range w.reinclude {
		if strings.HasPrefix(lp, d) || strings.HasPrefix(d, lp) {
			return true
		}
	}
	return false
}

// walk visits one directory and returns the count and size of what it sends.
func (w *walker) walk(abs, rel string, parent patternmatcher.MatchInfo) (files int, size int64) {
	entries, err := w.listing.ReadDir(abs)
	if err != nil {
		w.c.WalkErrors = append(w.c.WalkErrors, err.Error())
		if len(entries) == 0 {
			return 0, 0
		}
	}
	for _, e := range entries {
		if w.n >= w.max {
			w.c.Truncated = true
			return files, size
		}
		w.n++
		name := e.Name()
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		typ := e.Type()
		isDir := typ.IsDir()
		var info patternmatcher.MatchInfo
		if w.m != nil {
			skip, mi, err := w.m.MatchesUsingParentResults(r, parent)
			if err == nil {
				info = mi
				if skip && (!isDir || !w.mayReinclude(r)) {
					w.c.Excluded = append(w.c.Excluded, Entry{Path: r, IsDir: isDir})
					continue
				}
			}
		}
		switch {
		case isDir:
			n, s := w.walk(filepath.Join(abs, name), r, info)
			if n > 0 {
				w.c.Dirs = append(w.c.Dirs, Dir{Path: r, Files: n, Size: s})
			}
			files += n
			size += s
		case typ.IsRegular(), typ&fs.ModeSymlink != 0:
			fi, err := e.Info()
			if err != nil {
				w.c.WalkErrors = append(w.c.WalkErrors, err.Error())
				continue
			}
			link := typ&fs.ModeSymlink != 0
			w.c.Files = append(w.c.Files, File{Path: r, Size: fi.Size(), Symlink: link})
			files++
			size += fi.Size()
			if !link && ContentCandidate(name) {
				w.read(filepath.Join(abs, name), r)
			}
		default:
			// Sockets, devices and pipes carry no content worth a rule.
		}
	}
	return files, size
}

func (w *walker) read(abs, rel string) {
	fh, err := os.Open(abs)
	if err != nil {
		w.c.WalkErrors = append(w.c.WalkErrors, err.Error())
		return
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, w.maxRead))
	if err != nil {
		return
	}
	if w.c.Contents == nil {
		w.c.Contents = map[string][]byte{}
	}
	w.c.Contents[rel] = data
}

// ContentCandidate reports whether a file name is one whose content the
// loader reads: package-manager and netrc files that may hold a token or
// a password.
func ContentCandidate(name string) bool {
	switch strings.ToLower(name) {
	case ".npmrc", ".pypirc", ".netrc", "_netrc", ".yarnrc.yml", ".yarnrc":
		return true
	}
	return false
}
