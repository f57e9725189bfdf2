package compose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/override"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/transform"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// MaxFileSize bounds one compose file.
const MaxFileSize = 8 << 20

// Options configure loading.
type Options struct {
	// Env holds variables for interpolation; they win over the .env file
	// beside the first compose file. The process environment is not
	// consulted, so that a lint result does not depend on the shell it
	// ran in.
	Env map[string]string
	// NoAutoOverride turns off merging compose.override.yaml (and its
	// docker-compose.override.yml spellings) beside a lone compose.yaml.
	NoAutoOverride bool
	// Context cancels the load; nil means background.
	Context context.Context
}

// Source is one compose file: a path, and its contents when they do not
// come from the file system (standard input).
type Source struct {
	Path string
	Data []byte
}

// Method says how a project's model was built.
type Method string

// Methods of loading.
const (
	// MethodCompose: compose-go loaded the files as `docker compose` would
	// (without consistency checks and environment resolution).
	MethodCompose Method = "compose-go"
	// MethodUnvalidated: compose-go loaded the files once schema validation
	// was turned off; the schema errors are in Project.Errors.
	MethodUnvalidated Method = "compose-go-unvalidated"
	// MethodYAML: compose-go rejected the files; the model was built from
	// the YAML itself.
	MethodYAML Method = "yaml"
	// MethodNone: nothing could be loaded (broken YAML, empty file).
	MethodNone Method = "none"
)

// Info describes how a load went.
type Info struct {
	Method Method
	// Files are the files merged, in order (automatic override included).
	Files []string
	// Rejection is compose-go's error when it did not load the files.
	Rejection error
	// NotCompose is true when the files hold no compose content: they
	// are empty, or YAML without any compose top-level key. A directory
	// walk that took a file by its name drops it silently then.
	NotCompose bool
}

// Load reads compose files, merges them in order (the first names the
// project), and returns the runtime model. The error is non-nil only when
// a file cannot be read; invalid content is reported in Project.Errors
// with the model built from whatever could be read.
func Load(files []string, opts Options) (*container.Project, error) {
	p, _, err := LoadInfo(files, opts)
	return p, err
}

// LoadInfo is Load that also says how the model was built.
func LoadInfo(files []string, opts Options) (*container.Project, *Info, error) {
	srcs := make([]Source, 0, len(files))
	for _, f := range files {
		srcs = append(srcs, Source{Path: f})
	}
	return LoadSources(srcs, opts)
}

// OverrideFile returns the override file `docker compose` would merge
// automatically into main (compose.override.yml, compose.override.yaml,
// docker-compose.override.yml, docker-compose.override.yaml, first found),
// or "" when main does not have a default compose name or there is none.
func OverrideFile(main string) string {
	if !IsDefaultName(filepath.Base(main)) {
		return ""
	}
	dir := filepath.Dir(main)
	for _, n := range []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"} {
		p := filepath.Join(dir, n)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// IsDefaultName reports whether a base name is one `docker compose` finds
// without -f.
func IsDefaultName(base string) bool {
	switch base {
	case "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml":
		return true
	}
	return false
}

// IsOverrideName reports whether a base name is an automatic override file.
func IsOverrideName(base string) bool {
	switch base {
	case "compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml":
		return true
	}
	return false
}

var silenceOnce sync.Once

// silence stops compose-go's logrus warnings (obsolete `version`, missing
// variables): shipshape's libraries are quiet, the CLI speaks.
func silence() {
	silenceOnce.Do(func() { logrus.SetOutput(io.Discard) })
}

// LoadSources is Load for sources that may carry their contents.
func LoadSources(srcs []Source, opts Options) (*container.Project, *Info, error) {
	silence()
	if len(srcs) == 0 {
		return nil, nil, errors.New("no compose file given")
	}
	if len(srcs) == 1 && srcs[0].Data == nil && !opts.NoAutoOverride {
		if o := OverrideFile(srcs[0].Path); o != "" {
			srcs = append(srcs, Source{Path: o})
		}
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	info := &Info{Method: MethodNone}
	var files []*yfile
	for _, s := range srcs {
		data := s.Data
		if data == nil {
			var err error
			data, err = readFile(s.Path)
			if err != nil {
				return nil, info, err
			}
		}
		info.Files = append(info.Files, s.Path)
		files = append(files, parseYAML(s.Path, data))
	}
	l := &load{files: files, env: envFor(srcs[0], opts), ctx: ctx, bases: map[string]*yfile{}}
	for _, f := range files {
		l.bases[absPath(f.path)] = f
	}
	p := &container.Project{
		Source: container.SourceCompose, File: files[0].path,
		Networks: map[string]*container.Network{}, Secrets: map[string]bool{},
		Where: container.Pos{File: files[0].path, Range: loc.Line(1)},
	}
	p.Sources = map[string][]byte{}
	for _, f := range files {
		p.Sources[f.path] = f.data
	}
	if k := files[0].servicesKey; k != nil {
		p.Where.Range = loc.Range{Line: k.Line, Col: k.Column, EndLine: k.Line, EndCol: k.Column + len(k.Value)}
	}
	var good []*yfile
	for _, f := range files {
		p.Errors = append(p.Errors, f.errs...)
		if f.root != nil {
			good = append(good, f)
		}
	}
	if len(good) == 0 {
		if len(p.Errors) == 0 {
			// Only empty files. Merged after others an empty overlay is
			// fine; alone `docker compose` refuses it, and a walk that
			// took it by its name drops it (NotCompose).
			info.NotCompose = true
			p.Errors = append(p.Errors, container.LoadError{Pos: p.Where,
				Message: "empty compose file: it describes no container on its own (an overlay is merged after the file it extends, e.g. --compose base.yaml --compose overlay.yaml)"})
		}
		l.comments(p)
		return p, info, nil
	}
	if len(files) == 1 && files[0].services == nil && !hasAnyTop(files[0].root) {
		info.NotCompose = true
		p.Errors = append(p.Errors, container.LoadError{Pos: p.Where, Message: "not a compose file: no services, networks, volumes, secrets or configs"})
		l.comments(p)
		return p, info, nil
	}
	l.good = good
	dict, method, rejection := l.composeGo()
	info.Method, info.Rejection = method, rejection
	if dict == nil {
		dict = l.yamlModel()
		info.Method = MethodYAML
		p.Errors = append(p.Errors, l.modelErrs...)
	}
	l.build(p, dict)
	l.comments(p)
	return p, info, nil
}

func hasAnyTop(root *yaml.Node) bool {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if topLevelKeys[root.Content[i].Value] && root.Content[i].Value != "version" && root.Content[i].Value != "name" {
			return true
		}
	}
	return false
}

func readFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	return data, nil
}

// fileErr words a file-system error the way the CLI reports them.
func fileErr(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file or directory", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied", path)
	}
	return err
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// envFor is the interpolation environment: the .env file beside the first
// compose file, then Options.Env.
func envFor(main Source, opts Options) map[string]string {
	env := map[string]string{}
	if main.Data == nil {
		dot := filepath.Join(filepath.Dir(main.Path), ".env")
		if st, err := os.Stat(dot); err == nil && st.Mode().IsRegular() && st.Size() < MaxFileSize {
			if data, err := os.ReadFile(dot); err == nil {
				if vars, err := dotenv.UnmarshalBytesWithLookup(data, func(k string) (string, bool) {
					v, ok := env[k]
					return v, ok
				}); err == nil {
					for k, v := range vars {
						env[k] = v
					}
				}
			}
		}
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	return env
}

// load holds the state of one LoadSources call.
type load struct {
	files []*yfile // every file given, in merge order
	good  []*yfile // the files whose YAML parsed
	env   map[string]string
	ctx   context.Context
	// bases are files parsed for positions, by absolute path (the inputs
	// and files named by extends).
	bases map[string]*yfile
	mu    sync.Mutex
	// schemaErrs are compose schema violations found by compose-go.
	schemaErrs []string
	// modelErrs are files the YAML model could not read either; they are
	// load errors (RT1000), so that a file nothing could read never passes.
	modelErrs []container.LoadError
}

func (l *load) lookupEnv(k string) (string, bool) {
	v, ok := l.env[k]
	return v, ok
}

// substitute interpolates like compose, except that `${VAR:?err}` with VAR
// unset becomes empty instead of an error, and a malformed template is
// kept as written.
func (l *load) substitute(s string, m template.Mapping) (string, error) {
	return template.SubstituteWithOptions(s, m, template.WithoutLogging, template.WithReplacementFunction(
		func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
			v, _, err := template.DefaultReplacementAppliedFunc(sub, m, cfg)
			if err != nil {
				var miss *template.MissingRequiredError
				if errors.As(err, &miss) {
					return "", nil
				}
				return sub, nil
			}
			return v, nil
		}))
}

func (l *load) interpolate(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	v, err := l.substitute(s, l.lookupEnv)
	if err != nil {
		return s
	}
	return v
}

// composeGo loads the good files with compose-go: first as `docker
// compose config --no-consistency` would, then without schema validation.
// It returns nil when compose-go rejects the files or panics.
func (l *load) composeGo() (dict map[string]any, method Method, rejection error) {
	dict, err := l.composeGoOnce(false)
	if err == nil {
		return dict, MethodCompose, nil
	}
	rejection = err
	dict, err2 := l.composeGoOnce(true)
	if err2 == nil {
		l.schemaErrs = append(l.schemaErrs, l.invalidity(err)...)
		return dict, MethodUnvalidated, rejection
	}
	l.schemaErrs = append(l.schemaErrs, l.invalidity(err2)...)
	return nil, MethodYAML, rejection
}

var (
	reValidating = regexp.MustCompile(`^validating (.+?): (.*)$`)
	reCast       = regexp.MustCompile(`(?m)^error while interpolating (\S+): failed to cast to expected type: (.*)$`)
)

// invalidity extracts from a compose-go error the messages that say the
// file itself is invalid (a schema violation, a value of the wrong type),
// as opposed to problems of the environment (a missing env_file, an
// extends file that is not there).
func (l *load) invalidity(err error) []string {
	if m := reValidating.FindStringSubmatch(err.Error()); m != nil {
		for _, f := range l.good {
			if absPath(f.path) == m[1] {
				return []string{l.steadyViolation(f, m[2])}
			}
		}
		return []string{m[2]}
	}
	var out []string
	for _, m := range reCast.FindAllStringSubmatch(err.Error(), -1) {
		if strings.HasSuffix(m[2], ": ") || strings.HasSuffix(m[2], `parsing "": invalid syntax`) {
			continue // an empty value: an unset variable, not the file's fault
		}
		out = append(out, m[1]+": "+m[2])
	}
	return out
}

func (l *load) composeGoOnce(skipValidation bool) (dict map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			dict, err = nil, fmt.Errorf("compose-go panicked: %v", r)
		}
	}()
	var cfs []types.ConfigFile
	for _, f := range l.good {
		cf := types.ConfigFile{Filename: absPath(f.path)}
		if f.lifted {
			m, err := decodeNode(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "services", Tag: "!!str"}, f.root}})
			if err != nil {
				return nil, fmt.Errorf("cannot decode legacy compose file: %w", err)
			}
			if svcs, ok := m["services"].(map[string]any); ok {
				liftV1(svcs)
			}
			cf.Config = m
		} else {
			cf.Content = f.data
		}
		cfs = append(cfs, cf)
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(absPath(l.good[0].path)),
		ConfigFiles: cfs,
		Environment: types.Mapping(l.env),
	}
	return loader.LoadModelWithContext(l.ctx, details, func(o *loader.Options) {
		o.SkipValidation = skipValidation
		o.SkipNormalization = true
		o.SkipConsistencyCheck = true
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.ResolvePaths = false
		o.Profiles = []string{"*"}
		o.SetProjectName("shipshape", true)
		// Keep compose-go's type casts (booleans, numbers) and swap in
		// the lenient substitution.
		if o.Interpolate != nil {
			o.Interpolate.Substitute = l.substitute
			o.Interpolate.LookupValue = l.lookupEnv
			o.Interpolate.TypeCastMapping = lenientCasts(o.Interpolate.TypeCastMapping)
		}
	})
}

var (
	castsOnce sync.Once
	casts     map[tree.Path]interp.Cast
)

// lenientCasts wraps compose-go's type casts so that a value left empty by
// an unset variable (`read_only: ${RO}`) is dropped, as if not written,
// instead of failing the whole file.
func lenientCasts(in map[tree.Path]interp.Cast) map[tree.Path]interp.Cast {
	castsOnce.Do(func() {
		casts = make(map[tree.Path]interp.Cast, len(in))
		for p, c := range in {
			casts[p] = func(v string) (any, error) {
				if strings.TrimSpace(v) == "" {
					return nil, nil
				}
				return c(v)
			}
		}
	})
	return casts
}

// decode turns a file's node into plain Go values. When the whole
// document cannot be decoded (YAML's guard against alias bombs refuses a
// document whose aliases expand too far, even inside an x- extension that
// compose ignores), it decodes again without the top-level x- keys, whose
// anchors the services may still use; when that fails too, the file is a
// load error and nil is returned.
func (l *load) decode(f *yfile, n *yaml.Node) map[string]any {
	m, err := decodeNode(n)
	if err == nil {
		return m
	}
	if n.Kind == yaml.MappingNode && n == f.root {
		trimmed := *n
		trimmed.Content = nil
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !strings.HasPrefix(n.Content[i].Value, "x-") {
				trimmed.Content = append(trimmed.Content, n.Content[i], n.Content[i+1])
			}
		}
		if m, err2 := decodeNode(&trimmed); err2 == nil {
			return m
		}
	}
	l.mu.Lock()
	l.modelErrs = append(l.modelErrs, container.LoadError{
		Pos:     container.Pos{File: f.path, Range: loc.Line(max(n.Line, 1))},
		Message: "cannot be loaded: " + strings.TrimPrefix(err.Error(), "yaml: "),
	})
	l.mu.Unlock()
	return nil
}

// decodeNode decodes a node into a map, turning a decoder panic into an
// error.
func decodeNode(n *yaml.Node) (m map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%v", r)
		}
	}()
	err = n.Decode(&m)
	return m, err
}

// yamlModel builds the merged model from the YAML alone, for files
// compose-go rejects: each file is interpolated leniently, lifted when it
// is a v1 file, merged in order with compose's rules and put in canonical
// syntax service by service, keeping what cannot be canonicalised as
// written.
func (l *load) yamlModel() map[string]any {
	merged := map[string]any{}
	for _, f := range l.good {
		var m map[string]any
		if f.lifted {
			svcs := l.decode(f, f.root)
			liftV1(svcs)
			m = map[string]any{"services": svcs}
		} else {
			m = l.decode(f, f.root)
		}
		if m == nil {
			continue
		}
		if im, err := interp.Interpolate(m, interp.Options{Substitute: l.substitute, LookupValue: l.lookupEnv}); err == nil {
			m = im
		} else {
			m = l.interpolateAll(m).(map[string]any)
		}
		m = canonicalPerService(m)
		if next, err := safeMerge(merged, m); err == nil {
			merged = next
		} else {
			merged = shallowMerge(merged, m)
		}
	}
	return merged
}

func (l *load) interpolateAll(v any) any {
	switch t := v.(type) {
	case string:
		return l.interpolate(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = l.interpolateAll(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = l.interpolateAll(x)
		}
		return out
	}
	return v
}

// canonicalPerService runs compose-go's canonical transform on each service
// alone, so that one malformed service does not spoil the others.
func canonicalPerService(m map[string]any) map[string]any {
	svcs, ok := m["services"].(map[string]any)
	if !ok {
		return m
	}
	out := make(map[string]any, len(svcs))
	for name, s := range svcs {
		sm, ok := s.(map[string]any)
		if !ok {
			continue
		}
		c, err := safeCanonical(map[string]any{"services": map[string]any{name: sm}})
		if err == nil {
			if cs, ok := c["services"].(map[string]any); ok {
				if v, ok := cs[name].(map[string]any); ok {
					out[name] = v
					continue
				}
			}
		}
		out[name] = sm
	}
	m["services"] = out
	for _, k := range []string{"networks", "secrets", "volumes", "configs"} {
		if v, ok := m[k].(map[string]any); ok {
			if c, err := safeCanonical(map[string]any{k: v}); err == nil {
				m[k] = c[k]
			}
		}
	}
	return m
}

func safeCanonical(m map[string]any) (out map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return transform.Canonical(m, true)
}

func safeMerge(a, b map[string]any) (out map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return override.Merge(a, b)
}

// shallowMerge merges service by service, later keys replacing earlier
// ones; the last resort when compose's merge rejects the values.
func shallowMerge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		am, aok := out[k].(map[string]any)
		bm, bok := v.(map[string]any)
		if aok && bok {
			out[k] = shallowMerge(am, bm)
			continue
		}
		out[k] = v
	}
	return out
}

// base returns the parsed file at path (for extends), reading it once.
func (l *load) base(path string) *yfile {
	abs := absPath(path)
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.bases[abs]; ok {
		return f
	}
	var f *yfile
	if data, err := readFile(abs); err == nil && bytes.IndexByte(data, 0) < 0 {
		f = parseYAML(path, data)
	}
	l.bases[abs] = f
	return f
}
