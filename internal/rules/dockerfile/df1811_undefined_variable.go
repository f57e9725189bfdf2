package dockerfile

import (
	"regexp"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/suggest"
)

// DF1811 flags `$VAR` and `${VAR}` in instructions the builder expands
// (ENV, LABEL, COPY, ADD, WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE, ARG
// defaults, RUN --mount options, unquoted COPY heredocs, and FROM through
// the meta ARGs) when no ARG or ENV of the file defines the name. The
// builder substitutes an empty string without complaint, so a typo or a
// forgotten ARG turns `/opt/$APP_DIR` into `/opt/`. References with a
// default (`${VAR:-x}`, `${VAR:+x}`, `${VAR?}`) are deliberate and skipped.
//
// `docker build --check` also knows the base image's environment; a linter
// does not. In stages built on scratch every undefined name is reported, as
// BuildKit does. In stages built on an image, where the image's config may
// define the name, only certain mistakes are: a name declared elsewhere in
// the file (an ARG of another stage, a meta ARG not redeclared after FROM),
// a predefined platform ARG used without `ARG NAME`, or a near miss of a
// name in scope ("did you mean"). Names that common base images set (PATH,
// HOME, JAVA_HOME, GOPATH, ...) are never reported on an image base; the
// list can be extended with the base-image-variables setting. ARGs of a
// parent stage stay visible in stages built FROM it, as in BuildKit.
var DF1811 = &rule.Rule{
	ID:       "DF1811",
	Slug:     "undefined-variable",
	Title:    "Variable referenced but never defined",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "Dockerfile variables that are not defined expand to an empty string, silently. A misspelt or out-of-scope " +
		"name (an ARG declared before FROM but not redeclared in the stage, an ARG of another stage) turns `COPY app /opt/$APP_DIR` " +
		"into a copy to /opt/ and `USER $APP_USER` into a build error far from the cause, or builds an image from the wrong base " +
		"in FROM. Declaring the variable, or giving an explicit default, makes the value visible and reviewable.",
	Fix:   "Declare the variable with ARG or ENV in the stage before using it (redeclare meta ARGs after FROM), fix the spelling, or give a default with `${VAR:-value}`.",
	Bad:   "FROM alpine:3.20\nARG APP_DIR=/srv/app\nCOPY app/ $APPDIR/",
	Good:  "FROM alpine:3.20\nARG APP_DIR=/srv/app\nCOPY app/ $APP_DIR/",
	Peers: []rule.Peer{{Tool: "buildkit", ID: "UndefinedVar"}, {Tool: "buildkit", ID: "UndefinedArgInFrom"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/undefined-var/",
		"https://docs.docker.com/reference/build-checks/undefined-arg-in-from/",
		"https://docs.docker.com/reference/dockerfile/#scope",
	},
	Settings: []rule.Setting{{
		Name: "base-image-variables", Type: "strings",
		Doc: "Extra environment variable names that base images are known to set, assumed defined in stages built on an image.",
	}},
	Check: checkUndefinedVariable,
}

// baseImageEnv lists variables that widely used base images define in their
// config, so that `WORKDIR $GOPATH/src` on golang is not reported.
var baseImageEnv = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`PATH HOME HOSTNAME USER LANG LANGUAGE LC_ALL TERM TZ SHELL PWD
		DEBIAN_FRONTEND container
		JAVA_HOME JAVA_VERSION JDK_VERSION JRE_HOME JAVA_OPTS MAVEN_HOME MAVEN_CONFIG MAVEN_VERSION GRADLE_HOME GRADLE_VERSION GRADLE_USER_HOME
		CATALINA_HOME CATALINA_BASE TOMCAT_VERSION TOMCAT_MAJOR JETTY_HOME JETTY_BASE
		GOPATH GOROOT GOLANG_VERSION GOTOOLCHAIN GOOS GOARCH GOBIN CGO_ENABLED
		NODE_VERSION YARN_VERSION NODE_ENV NPM_CONFIG_PREFIX
		PYTHON_VERSION PYTHON_PIP_VERSION PYTHON_SETUPTOOLS_VERSION PYTHON_GET_PIP_URL PYTHON_GET_PIP_SHA256 PYTHONPATH PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE PIP_NO_CACHE_DIR VIRTUAL_ENV
		RUBY_VERSION RUBY_MAJOR RUBY_DOWNLOAD_SHA256 GEM_HOME BUNDLE_PATH BUNDLE_APP_CONFIG BUNDLE_SILENCE_ROOT_WARNING BUNDLER_VERSION
		PHP_VERSION PHP_INI_DIR PHP_CFLAGS PHP_CPPFLAGS PHP_LDFLAGS PHP_URL PHP_ASC_URL PHP_SHA256 PHP_EXTRA_CONFIGURE_ARGS PHPIZE_DEPS GPG_KEYS
		APACHE_CONFDIR APACHE_ENVVARS APACHE_RUN_DIR APACHE_LOG_DIR APACHE_LOCK_DIR APACHE_RUN_USER APACHE_RUN_GROUP HTTPD_PREFIX HTTPD_VERSION
		NGINX_VERSION NJS_VERSION NJS_RELEASE PKG_RELEASE DYNPKG_RELEASE
		RUSTUP_HOME CARGO_HOME RUST_VERSION
		DOTNET_VERSION ASPNET_VERSION ASPNETCORE_URLS ASPNETCORE_HTTP_PORTS DOTNET_RUNNING_IN_CONTAINER DOTNET_SDK_VERSION DOTNET_USE_POLLING_FILE_WATCHER NUGET_XMLDOC_MODE APP_UID POWERSHELL_DISTRIBUTION_CHANNEL
		ERLANG_VERSION ELIXIR_VERSION OTP_VERSION REBAR3_VERSION
		PERL_VERSION SWIFT_VERSION HASKELL_VERSION GHC_VERSION STACK_VERSION CABAL_VERSION JULIA_PATH JULIA_VERSION R_HOME R_VERSION
		POSTGRES_VERSION PG_MAJOR PG_VERSION PGDATA MYSQL_VERSION MYSQL_MAJOR MARIADB_VERSION MONGO_VERSION MONGO_MAJOR REDIS_VERSION
		ELASTIC_CONTAINER KIBANA_VERSION ES_VERSION RABBITMQ_VERSION RABBITMQ_DATA_DIR RABBITMQ_HOME
		CONDA_DIR MAMBA_ROOT_PREFIX NB_USER NB_UID NB_GID
		NVIDIA_VISIBLE_DEVICES NVIDIA_DRIVER_CAPABILITIES CUDA_VERSION CUDA_HOME LD_LIBRARY_PATH LIBRARY_PATH NV_CUDA_LIB_VERSION
		ANDROID_HOME ANDROID_SDK_ROOT SDKMAN_DIR
		SOURCE_DATE_EPOCH
		ProgramFiles ProgramData ProgramW6432 CommonProgramFiles SystemRoot SystemDrive windir USERPROFILE APPDATA LOCALAPPDATA
		TEMP TMP ComSpec PATHEXT PUBLIC ALLUSERSPROFILE USERNAME USERDOMAIN COMPUTERNAME PSModulePath OS
		PROCESSOR_ARCHITECTURE NUMBER_OF_PROCESSORS`) {
		baseImageEnv[n] = true
	}
}

// refPlain matches a reference that has no default modifier.
func undefRefPlain(word, name string) bool {
	re := regexp.MustCompile(`\$(` + regexp.QuoteMeta(name) + `\b|\{` + regexp.QuoteMeta(name) + `\}|\{` + regexp.QuoteMeta(name) + `[#%])`)
	return re.MatchString(word)
}

func checkUndefinedVariable(p *rule.Pass) error {
	f := fileOf(p)
	extra := map[string]bool{}
	for _, n := range p.Settings.Strings("base-image-variables") {
		extra[n] = true
	}
	// FROM: base name and --platform resolve against the meta ARGs only.
	for _, st := range f.Stages {
		from := st.From
		words := []string{st.BaseName}
		if st.Platform != "" {
			words = append(words, st.Platform)
		}
		for _, w := range words {
			_, unmatched := from.Expand(w)
			for _, n := range undefFilter(w, unmatched) {
				hint := undefHint(n, from.Vars, nil)
				p.Reportf(undefLocate(from, n), "FROM uses $%s, which no ARG before the first FROM declares%s", n, hint)
			}
		}
	}
	declared := undefDeclaredNames(f)
	for _, in := range f.Instructions {
		if in.Stage == nil && in.Keyword != "ARG" {
			continue
		}
		scratch := in.Stage == nil || in.Stage.IsScratch()
		inherited := undefInheritedArgs(in.Stage)
		seen := map[string]bool{}
		if a, ok := in.Command.(*instructions.ArgCommand); ok {
			// An ARG may use a name declared earlier in the same line.
			for _, kv := range a.Args {
				seen[kv.Key] = true
			}
		}
		for _, w := range undefWords(in) {
			var unmatched []string
			if w.raw {
				unmatched = undefExpandRaw(in, w.text)
			} else {
				_, unmatched = in.Expand(w.text)
			}
			for _, n := range undefFilter(w.text, unmatched) {
				if seen[n] || inherited[n] || n == w.self {
					continue
				}
				seen[n] = true
				hint := undefHint(n, in.Vars, declared)
				if e, ok := in.Command.(*instructions.EnvCommand); ok && undefEnvKey(e, n) {
					hint = "; it is set by this same ENV, which cannot see its own values: move it to an earlier ENV"
				}
				global := false
				if in.Stage != nil {
					if v, ok := in.Stage.From.Vars.Lookup(n); ok {
						global = true
						what := "is an ARG before FROM"
						if v.Kind == df.KindBuiltin {
							what = "is a predefined platform ARG"
						}
						hint = "; it " + what + ", redeclare it with `ARG " + n + "` inside the stage"
					}
				}
				// On an image base the variable may come from the image's
				// config, which is not known here: report only what is
				// certainly wrong (a name this file defines elsewhere, a
				// meta or platform ARG, or a likely typo).
				if !scratch && (baseImageEnv[n] || extra[n] || (!global && !declared[n] && hint == "")) {
					continue
				}
				p.Reportf(undefLocate(in, n), "%s uses $%s, which no ARG or ENV in scope defines, so it expands to an empty string%s", in.Keyword, n, hint)
			}
		}
	}
	return nil
}

// undefDeclaredNames lists every name an ARG or ENV of the file declares.
func undefDeclaredNames(f *df.File) map[string]bool {
	out := map[string]bool{}
	for _, in := range f.Instructions {
		switch c := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				out[kv.Key] = true
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				out[kv.Key] = true
			}
		}
	}
	return out
}

// undefInheritedArgs lists the ARGs with a value declared in the stages a
// stage is built FROM: BuildKit keeps them in the build environment of the
// child stage, so using them there works.
func undefInheritedArgs(st *df.Stage) map[string]bool {
	out := map[string]bool{}
	if st == nil {
		return out
	}
	for _, b := range st.Chain()[1:] {
		for _, in := range b.Instructions {
			if a, ok := in.Command.(*instructions.ArgCommand); ok {
				for _, kv := range a.Args {
					if v, ok := in.Vars.Lookup(kv.Key); kv.Value != nil || (ok && v.HasValue) || undefIsBuiltin(b, kv.Key) {
						out[kv.Key] = true
					}
				}
			}
		}
	}
	return out
}

func undefIsBuiltin(st *df.Stage, name string) bool {
	v, ok := st.From.Vars.Lookup(name)
	return ok && v.HasValue
}

func undefEnvKey(e *instructions.EnvCommand, name string) bool {
	for _, kv := range e.Env {
		if kv.Key == name {
			return true
		}
	}
	return false
}

type undefWord struct {
	text string
	raw  bool // heredoc content: quotes are not processed
	// self is the ENV key this value is assigned to: `ENV X=/a:$X`
	// appends to the previous value on purpose.
	self string
}

// undefWords lists the words of an instruction that the builder expands.
func undefWords(in *df.Instruction) []undefWord {
	var out []undefWord
	add := func(ws ...string) {
		for _, w := range ws {
			if strings.Contains(w, "$") {
				out = append(out, undefWord{text: w})
			}
		}
	}
	addSD := func(sd *instructions.SourcesAndDest) {
		add(sd.SourcePaths...)
		add(sd.DestPath)
		for _, c := range sd.SourceContents {
			if c.Expand && strings.Contains(c.Data, "$") {
				out = append(out, undefWord{text: c.Data, raw: true})
			}
		}
	}
	switch c := in.Command.(type) {
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			add(kv.Key)
			if strings.Contains(kv.Value, "$") {
				out = append(out, undefWord{text: kv.Value, self: kv.Key})
			}
		}
	case *instructions.LabelCommand:
		for _, kv := range c.Labels {
			add(kv.Key, kv.Value)
		}
	case *instructions.AddCommand:
		add(c.Chown, c.Chmod, c.Checksum)
		addSD(&c.SourcesAndDest)
	case *instructions.CopyCommand:
		add(c.Chown, c.Chmod)
		addSD(&c.SourcesAndDest)
	case *instructions.WorkdirCommand:
		add(c.Path)
	case *instructions.UserCommand:
		add(c.User)
	case *instructions.VolumeCommand:
		add(c.Volumes...)
	case *instructions.StopSignalCommand:
		add(c.Signal)
	case *instructions.ExposeCommand:
		add(c.Ports...)
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			if kv.Value != nil {
				add(*kv.Value)
			}
		}
	case *instructions.RunCommand:
		for _, fl := range in.Flags {
			if strings.HasPrefix(fl, "--mount=") {
				add(strings.TrimPrefix(fl, "--mount="))
			}
		}
	}
	return out
}

// undefExpandRaw expands heredoc content the way BuildKit does for COPY
// heredocs: quotes are kept, only variables are substituted.
func undefExpandRaw(in *df.Instruction, text string) []string {
	lex := shell.NewLex('\\')
	lex.SkipProcessQuotes = true
	res, err := lex.ProcessWordWithMatches(text, in.Vars)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(res.Unmatched))
	for k := range res.Unmatched {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// undefFilter keeps the names referenced at least once without a default.
func undefFilter(word string, names []string) []string {
	var out []string
	for _, n := range names {
		if undefRefPlain(word, n) {
			out = append(out, n)
		}
	}
	return out
}

func undefHint(name string, vars *df.Scope, declared map[string]bool) string {
	cands := vars.Names()
	for k := range declared {
		cands = append(cands, k)
	}
	if s := undefSuggest(name, cands); s != "" {
		return " (did you mean $" + s + "?)"
	}
	return ""
}

func undefLocate(in *df.Instruction, name string) loc.Range {
	for _, tok := range []string{"${" + name, "$" + name} {
		r := in.Locate(tok)
		if r.EndCol > 0 {
			return r
		}
	}
	return in.Start()
}

// undefSuggest returns the candidate closest to name when it is close enough
// to be a likely typo (case-insensitive match, or at most a quarter of the
// name's length in edits, at most two), like BuildKit's "did you mean" hints.
func undefSuggest(name string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		if c == name {
			continue
		}
		if strings.EqualFold(c, name) {
			return c
		}
		d := suggest.Distance(name, c)
		if d*4 > len(name) || d > 2 {
			continue
		}
		if best == "" || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}
