package compose

import (
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// maxIncludeDepth bounds how deep `include:` chains are followed for
// positions, so that a cycle cannot loop.
const maxIncludeDepth = 4

// includedFiles returns the files pulled in by top-level `include:`
// entries of the given files (short form `- path.yml`, or long form
// `- path: a.yml` / `- path: [a.yml, b.yml]`), recursively. compose-go
// merges their services; their YAML is read here only so that findings on
// those services point into the file that defines them.
func (l *load) includedFiles() []*yfile {
	var out []*yfile
	seen := map[string]bool{}
	var walk func(fs []*yfile, depth int)
	walk = func(fs []*yfile, depth int) {
		if depth > maxIncludeDepth {
			return
		}
		for _, f := range fs {
			if f == nil || f.root == nil {
				continue
			}
			_, inc := lookup(f.root, "include")
			if inc == nil || inc.Kind != yaml.SequenceNode {
				continue
			}
			var next []*yfile
			for _, item := range inc.Content {
				for _, p := range includePaths(item) {
					p = l.interpolate(p)
					if !filepath.IsAbs(p) {
						p = filepath.Join(filepath.Dir(f.path), p)
					}
					abs := absPath(p)
					if seen[abs] {
						continue
					}
					seen[abs] = true
					if inc := l.base(p); inc != nil {
						out = append(out, inc)
						next = append(next, inc)
					}
				}
			}
			walk(next, depth+1)
		}
	}
	walk(l.good, 0)
	return out
}

// includePaths returns the paths one `include:` item names.
func includePaths(item *yaml.Node) []string {
	item = deref(item)
	switch item.Kind {
	case yaml.ScalarNode:
		return []string{item.Value}
	case yaml.MappingNode:
		_, v := lookup(item, "path")
		if v == nil {
			return nil
		}
		v = deref(v)
		if v.Kind == yaml.ScalarNode {
			return []string{v.Value}
		}
		var out []string
		for _, c := range v.Content {
			if c = deref(c); c.Kind == yaml.ScalarNode {
				out = append(out, c.Value)
			}
		}
		return out
	}
	return nil
}
