package context

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/patternmatcher"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// docsContext is the reference every build-context rule cites.
const docsContext = "https://docs.docker.com/build/concepts/context/#dockerignore-files"

// dependencyDirs hold third-party files: package test certificates and
// sample keys there are not the project's secrets (the bloat rule covers
// sending them at all).
var dependencyDirs = map[string]bool{
	"node_modules": true, ".venv": true, "venv": true, "vendor": true,
	"site-packages": true, "bower_components": true, ".terraform": true,
}

var (
	reTokenNpm   = regexp.MustCompile(`(?im)^\s*(?:[^=\s]*:)?(?:_authToken|_auth|_password|npmAuthToken|npmAuthIdent)\s*[=:]\s*["']?([^\s"'#]+)`)
	reTokenPass  = regexp.MustCompile(`(?im)^\s*password\s*[=:]\s*(\S+)`)
	reTokenNetrc = regexp.MustCompile(`(?i)\bpassword\s+(\S+)`)
)

// sensitive returns what a sent file is when it is a credential, or "".
// rel is the context-relative path; the .git directory is handled apart
// (gitDir).
func sensitive(c *buildctx.Context, f buildctx.File) string {
	if f.Symlink {
		// A symbolic link is sent as a link; what it points to stays out.
		return ""
	}
	parts := strings.Split(f.Path, "/")
	for _, p := range parts[:len(parts)-1] {
		if dependencyDirs[p] || p == ".git" {
			return ""
		}
	}
	base := parts[len(parts)-1]
	lower := strings.ToLower(base)
	dir := ""
	if len(parts) > 1 {
		dir = parts[len(parts)-2]
	}
	switch {
	case lower == ".env" || lower == ".envrc":
		return "environment file"
	case strings.HasPrefix(lower, ".env."):
		switch strings.TrimPrefix(lower, ".env.") {
		case "example", "sample", "template", "dist", "defaults", "schema":
			return ""
		}
		return "environment file"
	case strings.HasSuffix(lower, ".pub"):
		return ""
	case strings.HasPrefix(lower, "id_rsa"), strings.HasPrefix(lower, "id_ed25519"), strings.HasPrefix(lower, "id_ecdsa"), strings.HasPrefix(lower, "id_dsa"):
		return "SSH private key"
	case dir == ".ssh":
		return "SSH configuration or key"
	case dir == ".aws":
		return "AWS credentials"
	case strings.HasSuffix(lower, ".pem"), strings.HasSuffix(lower, ".key"):
		return "private key or certificate"
	case strings.HasSuffix(lower, ".p12"), strings.HasSuffix(lower, ".pfx"), strings.HasSuffix(lower, ".jks"):
		return "PKCS#12/Java keystore"
	case strings.HasPrefix(lower, "credentials") && strings.HasSuffix(lower, ".json"):
		return "credentials file"
	case strings.HasSuffix(lower, ".tfstate"), strings.HasSuffix(lower, ".tfstate.backup"):
		return "Terraform state (holds resource secrets)"
	case lower == "config.json" && dir == ".docker":
		return "Docker registry credentials"
	case lower == "kubeconfig" || strings.HasSuffix(lower, ".kubeconfig") || (lower == "config" && dir == ".kube"):
		return "kubeconfig"
	case lower == ".git-credentials":
		return "Git credentials"
	case lower == ".htpasswd":
		return "password file"
	case buildctx.ContentCandidate(base):
		if hasToken(lower, c.Contents[f.Path]) {
			return base + " with a token or password"
		}
	}
	return ""
}

// hasToken reports whether a package-manager or netrc file holds a literal
// credential; `${NPM_TOKEN}` references are not literals.
func hasToken(name string, data []byte) bool {
	if len(data) == 0 {
		return false
	}
	var re *regexp.Regexp
	switch name {
	case ".npmrc", ".yarnrc.yml", ".yarnrc":
		re = reTokenNpm
	case ".pypirc":
		re = reTokenPass
	default:
		re = reTokenNetrc
	}
	for _, m := range re.FindAllSubmatch(data, -1) {
		v := string(m[1])
		if v != "" && !strings.HasPrefix(v, "${") && !strings.HasPrefix(v, "$") {
			return true
		}
	}
	return false
}

// gitDirs returns the .git directories that are sent, outermost only.
func gitDirs(c *buildctx.Context) []buildctx.Dir {
	var out []buildctx.Dir
	for _, d := range c.Dirs {
		if path.Base(d.Path) != ".git" || underAny(d.Path, out) {
			continue
		}
		if inDependency(d.Path) {
			continue
		}
		out = append(out, d)
	}
	return out
}

func inDependency(rel string) bool {
	for _, p := range strings.Split(rel, "/") {
		if dependencyDirs[p] {
			return true
		}
	}
	return false
}

func underAny(p string, dirs []buildctx.Dir) bool {
	for _, d := range dirs {
		if strings.HasPrefix(p, d.Path+"/") {
			return true
		}
	}
	return false
}

// contextCopy is one COPY or ADD that reads the build context.
type contextCopy struct {
	In    *dockerfile.Instruction
	IsAdd bool
	// Sources are the expanded source paths as written (after ARG/ENV
	// substitution); Clean gives the model's form.
	Sources  []string
	excludes *patternmatcher.PatternMatcher
}

// contextCopies lists the COPY/ADD instructions of every stage that read
// the build context: no --from, sources that are not URLs or heredocs.
func contextCopies(f *dockerfile.File) []contextCopy {
	if f == nil {
		return nil
	}
	var out []contextCopy
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			var sd instructions.SourcesAndDest
			var excl []string
			isAdd := false
			switch cmd := in.Command.(type) {
			case *instructions.CopyCommand:
				if cmd.From != "" {
					continue
				}
				sd, excl = cmd.SourcesAndDest, cmd.ExcludePatterns
			case *instructions.AddCommand:
				sd, excl, isAdd = cmd.SourcesAndDest, cmd.ExcludePatterns, true
			default:
				continue
			}
			cc := contextCopy{In: in, IsAdd: isAdd}
			for _, s := range sd.SourcePaths {
				s, _ = in.Expand(s)
				if isAdd && isRemote(s) {
					continue
				}
				cc.Sources = append(cc.Sources, s)
			}
			if len(cc.Sources) == 0 {
				continue
			}
			if len(excl) > 0 {
				var ex []string
				for _, e := range excl {
					e, _ = in.Expand(e)
					ex = append(ex, e)
				}
				if m, err := patternmatcher.New(ex); err == nil {
					cc.excludes = m
				}
			}
			out = append(out, cc)
		}
	}
	return out
}

func isRemote(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "git@") ||
		strings.HasPrefix(l, "git://") || strings.HasSuffix(l, ".git")
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }

// selects reports whether a context copy takes the file rel into the image.
func (cc contextCopy) selects(rel string) bool {
	for _, s := range cc.Sources {
		src := buildctx.Clean(s)
		if !sourceSelects(src, rel) {
			continue
		}
		if cc.excludes != nil {
			under := rel
			if src != "." && !hasWildcard(src) && strings.HasPrefix(rel, src+"/") {
				under = strings.TrimPrefix(rel, src+"/")
			}
			if ok, _ := cc.excludes.MatchesOrParentMatches(under); ok {
				continue
			}
			if ok, _ := cc.excludes.MatchesOrParentMatches(rel); ok {
				continue
			}
		}
		return true
	}
	return false
}

// sourceSelects reports whether a cleaned COPY source names rel or a
// directory above it. Wildcards match path components as Docker's
// filepath.Match does.
func sourceSelects(src, rel string) bool {
	if src == "." {
		return true
	}
	if !hasWildcard(src) {
		return rel == src || strings.HasPrefix(rel, src+"/")
	}
	n := strings.Count(src, "/") + 1
	parts := strings.Split(rel, "/")
	if len(parts) < n {
		return false
	}
	ok, err := path.Match(src, strings.Join(parts[:n], "/"))
	return err == nil && ok
}

// copiesWholeContext reports whether a copy's sources include the context
// root.
func (cc contextCopy) copiesWholeContext() bool {
	for _, s := range cc.Sources {
		if buildctx.Clean(s) == "." {
			return true
		}
	}
	return false
}

// finalChain returns the stages whose file systems the final image is built
// on: the target and its FROM <stage> ancestors.
func finalChain(f *dockerfile.File) map[*dockerfile.Stage]bool {
	out := map[*dockerfile.Stage]bool{}
	if f == nil || f.Target == nil {
		return out
	}
	for s := f.Target; s != nil && !out[s]; s = s.BaseStage {
		out[s] = true
	}
	return out
}

// humanSize formats a byte count for messages.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// listNames joins up to max names and says how many more there are.
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}

// ignoreName is how messages name the ignore file in force or missing.
func ignoreName(c *buildctx.Context) string {
	if c.IgnoreFile != "" {
		return path.Base(c.IgnoreFile)
	}
	return ".dockerignore"
}

// anchor is where a finding about the context as a whole is located: the
// ignore file when there is one (that is where the fix goes), else the
// Dockerfile, else the context directory.
func anchor(p *rule.Pass) string {
	c := contextOf(p)
	switch {
	case c.IgnoreFile != "":
		return c.IgnoreFile
	case contextOf(p).Dockerfile != nil:
		return contextOf(p).Dockerfile.Path
	}
	return c.Dir
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// text is the instruction as messages quote it: keyword, flags and
// arguments, shortened.
func (cc contextCopy) text() string {
	s := strings.Join(append([]string{cc.In.KeywordAsWritten}, cc.In.Args...), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
