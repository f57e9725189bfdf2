package compose

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"gopkg.in/yaml.v3"
)

// comments collects the comments of every file read.
func (l *load) comments(p *container.Project) {
	seen := map[*yfile]bool{}
	for _, f := range l.files {
		seen[f] = true
		p.Comments = append(p.Comments, Comments(f.path, f.data)...)
	}
	for _, f := range l.bases {
		if f != nil && !seen[f] {
			seen[f] = true
			p.Comments = append(p.Comments, Comments(f.path, f.data)...)
		}
	}
	sort.SliceStable(p.Comments, func(i, j int) bool {
		if p.Comments[i].File != p.Comments[j].File {
			return p.Comments[i].File < p.Comments[j].File
		}
		return p.Comments[i].Line < p.Comments[j].Line
	})
}

// buildPaths resolves a service's build: (short form: the context path;
// long form: context and dockerfile) to the context directory and the
// Dockerfile path. Compose resolves a relative context against the project
// directory, or against the file an extends base comes from, and a
// relative dockerfile against the context. A remote context (Git URL)
// gives "", "".
func (l *load) buildPaths(v any, refs []svcRef) (dir, dockerfile string) {
	var ctxPath string
	inline := false
	switch b := v.(type) {
	case string:
		ctxPath = b
	case map[string]any:
		ctxPath = str(b["context"])
		dockerfile = str(b["dockerfile"])
		inline = b["dockerfile_inline"] != nil && dockerfile == ""
	default:
		return "", ""
	}
	ctxPath = strings.TrimSpace(ctxPath)
	if ctxPath == "" {
		ctxPath = "."
	}
	if remoteContext(ctxPath) {
		return "", ""
	}
	base := ""
	if len(l.good) > 0 {
		base = filepath.Dir(l.good[0].path)
	}
	for _, r := range refs {
		k, n := lookup(r.node, "build")
		if k == nil {
			continue
		}
		// compose-go rebases the context of an extends base from another
		// file onto the project directory; the YAML-only fallback does
		// not, and the path is then still the base file's own.
		if !l.isGood(r.file) && l.rawContext(n) == ctxPath {
			base = filepath.Dir(r.file.path)
		}
		break
	}
	dir = ctxPath
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	if inline {
		return dir, ""
	}
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if !filepath.IsAbs(dockerfile) {
		dockerfile = filepath.Join(dir, dockerfile)
	}
	return dir, dockerfile
}

// rawContext is the context a build: node names, interpolated.
func (l *load) rawContext(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if n.Kind == yaml.MappingNode {
		_, c := lookup(n, "context")
		if c = deref(c); c == nil {
			return "."
		}
		n = c
	}
	c := strings.TrimSpace(l.interpolate(n.Value))
	if c == "" {
		c = "."
	}
	return c
}

func (l *load) isGood(f *yfile) bool {
	for _, g := range l.good {
		if g == f {
			return true
		}
	}
	return false
}

// remoteContext reports whether a build context is a URL (a Git
// repository, a tarball) rather than a local directory.
func remoteContext(c string) bool {
	return strings.Contains(c, "://") || strings.HasPrefix(c, "git@") || strings.HasPrefix(c, "github.com/")
}
