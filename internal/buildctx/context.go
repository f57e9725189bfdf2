package buildctx

import (
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// Context is one build context together with the Dockerfile built from it.
// Load fills it; it is not modified afterwards, so rules may read it
// concurrently (the pattern matcher, which is not safe for concurrent use,
// is guarded).
type Context struct {
	// Dir is the context root directory.
	Dir string
	// Dockerfile is the parsed Dockerfile built with this context; nil when
	// the context is linted on its own.
	Dockerfile *dockerfile.File
	// IgnoreFile is the path of the ignore file in force, "" when none.
	IgnoreFile string

	// DockerfilePath is the Dockerfile's path on disk, "" when unknown.
	DockerfilePath string
	// Patterns are the ignore file's patterns in order, with their lines.
	Patterns []Pattern
	// PatternErr is set when a pattern does not compile; `docker build`
	// refuses such a file, and Load then applies no exclusions at all.
	PatternErr *PatternError
	// IgnoreComments are the ignore file's comment lines (text after '#'),
	// where shipshape pragmas may stand.
	IgnoreComments []Comment

	// Files are the files that would be sent (regular files and symbolic
	// links, never followed), sorted by path.
	Files []File
	// Dirs are the directories holding at least one sent file, with the
	// totals of everything sent below them, sorted by path.
	Dirs []Dir
	// Excluded are the paths the ignore file keeps out: excluded files and
	// pruned directories (whose content is not listed), sorted by path.
	Excluded []Entry
	// TotalFiles and TotalSize count what would be sent.
	TotalFiles int
	TotalSize  int64
	// Truncated is set when the walk stopped at Options.MaxFiles entries;
	// the totals then are lower bounds.
	Truncated bool
	// Contents holds the first bytes (up to Options.MaxRead) of the few
	// sent files whose content decides whether they hold a credential
	// (.npmrc, .pypirc, .netrc), keyed by path.
	Contents map[string][]byte
	// WalkErrors lists entries that could not be read; `docker build` would
	// fail on them, the walk goes on.
	WalkErrors []string

	mu      sync.Mutex
	matcher *patternmatcher.PatternMatcher
	index   map[string]int
}

// File is one file that would be sent. Path is slash-separated and relative
// to the context root.
type File struct {
	Path    string
	Size    int64
	Symlink bool
}

// Dir aggregates what is sent below one directory.
type Dir struct {
	Path  string
	Files int
	Size  int64
}

// Entry is one path kept out of the context.
type Entry struct {
	Path  string
	IsDir bool
}

// Pattern is one line of the ignore file as patternmatcher reads it.
type Pattern struct {
	// Text is the cleaned pattern without its leading '!'.
	Text      string
	Exclusion bool
	Line      int
}

// Comment is one comment line of the ignore file.
type Comment struct {
	Line int
	Text string
}

// PatternError is an ignore-file pattern that does not compile.
type PatternError struct {
	Line    int
	Pattern string
	Err     error
}

func (e *PatternError) Error() string { return e.Err.Error() }

// HasIgnoreFile reports whether an ignore file is in force.
func (c *Context) HasIgnoreFile() bool { return c.IgnoreFile != "" }

// Exclusions reports whether the ignore file has `!` re-include patterns.
func (c *Context) Exclusions() bool { return c.matcher != nil && c.matcher.Exclusions() }

// Ignored reports whether the ignore file excludes rel (a slash-separated
// path relative to the context root) or one of its parent directories, as
// BuildKit's CopyIgnoredFile check asks it. It is false without an ignore
// file.
func (c *Context) Ignored(rel string) bool {
	if c.matcher == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, err := c.matcher.MatchesOrParentMatches(rel)
	return err == nil && ok
}

// RootIgnored reports whether the ignore file has a pattern that excludes
// every entry at the root (`*`, `**`, `**/*`), the one case in which
// BuildKit says that copying the context root copies ignored files.
func (c *Context) RootIgnored() bool {
	for _, p := range c.Patterns {
		if p.Exclusion {
			continue
		}
		switch p.Text {
		case "*", "**", "**/*":
			return true
		}
	}
	return false
}

// Sent returns the sent file at rel.
func (c *Context) Sent(rel string) (File, bool) {
	i, ok := c.index[rel]
	if !ok {
		return File{}, false
	}
	return c.Files[i], true
}

// SentUnder reports whether any file at or below rel is sent; "." or ""
// is the context root.
func (c *Context) SentUnder(rel string) bool {
	rel = Clean(rel)
	if rel == "." {
		return len(c.Files) > 0
	}
	if _, ok := c.index[rel]; ok {
		return true
	}
	i := sort.Search(len(c.Files), func(i int) bool { return c.Files[i].Path >= rel+"/" })
	return i < len(c.Files) && strings.HasPrefix(c.Files[i].Path, rel+"/")
}

// IsExcluded reports whether rel, or a directory above it, is among the
// paths the walk kept out.
func (c *Context) IsExcluded(rel string) bool {
	rel = Clean(rel)
	for p := rel; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		i := sort.Search(len(c.Excluded), func(i int) bool { return c.Excluded[i].Path >= p })
		if i < len(c.Excluded) && c.Excluded[i].Path == p {
			return true
		}
	}
	return false
}

// DisplayPath joins a context-relative path to the context directory, the
// form findings are located with.
func (c *Context) DisplayPath(rel string) string {
	if rel == "" || rel == "." {
		return c.Dir
	}
	if c.Dir == "" || c.Dir == "." {
		return rel
	}
	return strings.TrimSuffix(c.Dir, "/") + "/" + rel
}

// Clean normalises a COPY source or a context path to the slash-separated,
// root-relative form the model uses: "./a/../b/" becomes "b", "/" and "./"
// become ".".
func Clean(p string) string {
	p = path.Clean("/" + p)
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return "."
	}
	return p
}
