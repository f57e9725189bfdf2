package dockerfile

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// Role is what the image a stage produces is for, as far as its Dockerfile
// tells. Rules whose weight depends on how an image is used (a service that
// runs as root, a service without a health check, a toolchain left in an
// image) ask it once here so that they agree.
type Role int

// The roles, from the image that runs a program to the one that is only a
// place to work in.
const (
	// RoleApp is an image that runs a program of its own that announces no
	// server: a command-line tool, a worker, a batch job.
	RoleApp Role = iota
	// RoleService serves something: it EXPOSEs a port, declares a
	// HEALTHCHECK, runs a known server program or is built on a server
	// image without replacing its command.
	RoleService
	// RoleBase is an image for other Dockerfiles to build FROM, or whose
	// command is given at run time: it sets no command of its own, or a
	// shell.
	RoleBase
	// RoleToolchain is an image whose purpose is a toolchain: an SDK or
	// JDK, buildpack-deps, a language image itself (it installs the
	// language and starts its prompt), or a build tool as its command.
	RoleToolchain
	// RoleDev is a development or CI environment that is never deployed:
	// a dev container, a file or default stage named for development,
	// test, lint or CI, a CI folder (hack/, .github/), a test runner or a
	// keep-alive command (sleep infinity) as its command.
	RoleDev
)

var roleNames = [...]string{"application", "service", "base image", "language or toolchain image", "development or CI image"}

// String names the role for messages.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "image"
}

// RoleInfo is a stage's role with the evidence for it.
type RoleInfo struct {
	Role Role
	// Why is the evidence, to follow "because" in a message: "it EXPOSEs
	// 8080", "its command runs nginx", "the file is a dev container".
	Why string
	// At is the instruction that gave the role away; nil when the evidence
	// is the file's path or the absence of a command.
	At *Instruction
}

// Role returns what the image of s is for. The evidence is read in this
// order, the first that applies winning: development or CI use, service
// (EXPOSE, HEALTHCHECK, a server program, a server base image), toolchain,
// base image (no command, or a shell), else an application.
func (s *Stage) Role() RoleInfo {
	if s == nil {
		return RoleInfo{Role: RoleApp}
	}
	s.roleOnce.Do(func() { s.role = s.computeRole() })
	return s.role
}

func (s *Stage) computeRole() RoleInfo {
	if why := s.devReason(); why != "" {
		return RoleInfo{Role: RoleDev, Why: why}
	}
	cmd := s.command()
	if cmd.prog != "" && (keepAlive(cmd) || testRunner(cmd.prog)) {
		return RoleInfo{Role: RoleDev, Why: "its command (" + cmd.prog + ") " + devCommandWhy(cmd), At: cmd.at}
	}
	if r, ok := s.serviceRole(cmd); ok {
		return r
	}
	if r, ok := s.toolchainRole(cmd); ok {
		return r
	}
	switch {
	case cmd.at == nil:
		return RoleInfo{Role: RoleBase, Why: "it sets no CMD or ENTRYPOINT of its own"}
	case isPrompt(cmd) || (cmd.prog == "" && cmd.wrapped):
		why := "its command is a shell (" + cmd.prog + ")"
		if cmd.prog == "" {
			why = "its command is only an entrypoint script that runs what it is given"
		}
		return RoleInfo{Role: RoleBase, Why: why, At: cmd.at}
	}
	return RoleInfo{Role: RoleApp, Why: "its command runs " + cmd.prog, At: cmd.at}
}

func devCommandWhy(c entryCommand) string {
	if testRunner(c.prog) {
		return "runs tests"
	}
	return "only keeps the container alive"
}

// devReason says why the file or the stages of s describe a development or
// CI environment, "" when nothing does. File and stage names count only
// when the build produces the last stage, as a plain `docker build` does.
func (s *Stage) devReason() string {
	f := s.file
	if f == nil {
		return ""
	}
	if DevContainer(f) {
		return "the file is a dev container"
	}
	defaultTarget := len(f.Stages) > 0 && f.Target == f.Stages[len(f.Stages)-1] && f.Target == s
	if !defaultTarget {
		return ""
	}
	if DevFileName(f.Path) {
		return "the file's name says it is for development, test or CI"
	}
	if ciPath(f.Path) {
		return "the file sits in a CI or build-tooling folder"
	}
	for _, st := range s.Chain() {
		if DevStageName(st.Name) {
			return "its stage " + st.NameAsWritten + " is named for development, test or CI"
		}
	}
	return ""
}

// devStageNames are stage names that say the stage is a development,
// test or lint environment rather than the image that ships.
var devStageNames = regexp.MustCompile(`^(dev|devel|develop|development|debug|test|tests|testing|ci|lint|linter|devcontainer)([-_.].*)?$|[-_.](dev|devel|development|debug|test|tests|testing|ci|lint|devcontainer)$`)

// DevStageName reports a stage name that says the stage is a development,
// test or lint environment (dev, test-env, app-debug).
func DevStageName(name string) bool {
	return name != "" && devStageNames.MatchString(strings.ToLower(name))
}

var devFileNames = regexp.MustCompile(`(^|[-_.])(dev|devel|develop|development|debug|test|tests|testing|ci|lint|devcontainer|gitpod)([-_.]|$)`)

// DevFileName reports a Dockerfile whose name or folder says it describes a
// development or test environment (Dockerfile.dev, test.Dockerfile,
// docker/dev/Dockerfile, discourse_test/Dockerfile). A folder named only
// test or tests does not count: that is a project's test tree, which also
// holds the images of real services that integration tests start, and
// other tools' fixtures.
func DevFileName(p string) bool {
	p = strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
	dir := path.Base(path.Dir(p))
	if dir == "test" || dir == "tests" || dir == "testing" {
		dir = ""
	}
	return devFileNames.MatchString(path.Base(p)) || devFileNames.MatchString(dir)
}

// ciFolders are folders that hold the images a project's CI or build
// tooling uses, never deployed: hack/ (the Go projects' convention for
// build scripts), eng/ (Microsoft's engineering infrastructure) and the CI
// services' own folders. Test folders are not among them: they also hold
// the images of real services that integration tests start.
var ciFolders = map[string]bool{"hack": true, "eng": true, ".github": true, ".gitlab": true, ".circleci": true, ".buildkite": true}

func ciPath(p string) bool {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(p, `\`, "/")), "/")
	for _, d := range parts[:max(len(parts)-1, 0)] {
		if ciFolders[d] {
			return true
		}
	}
	return false
}

// DevContainer reports a VS Code dev-container definition: a file in a
// .devcontainer folder or built on a devcontainers base image.
func DevContainer(f *File) bool {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(f.Path, `\`, "/")), "/")
	if slices.Contains(parts[:max(len(parts)-1, 0)], ".devcontainer") {
		return true
	}
	for _, s := range f.Stages {
		b := strings.ToLower(s.BaseName)
		if strings.Contains(b, "/devcontainers/") || strings.Contains(b, "vscode/devcontainers") {
			return true
		}
	}
	return false
}

// serviceRole finds the evidence that the image serves something.
func (s *Stage) serviceRole(cmd entryCommand) (RoleInfo, bool) {
	if e := s.Last("EXPOSE"); e != nil {
		return RoleInfo{Role: RoleService, Why: "it EXPOSEs " + strings.Join(e.Args, " "), At: e}, true
	}
	if h := s.Last("HEALTHCHECK"); h != nil && !(len(h.Args) > 0 && strings.EqualFold(h.Args[0], "NONE")) {
		return RoleInfo{Role: RoleService, Why: "it declares a HEALTHCHECK", At: h}, true
	}
	if cmd.prog != "" && serverCommand(cmd) {
		return RoleInfo{Role: RoleService, Why: "its command runs " + cmd.prog + " " + strings.Join(cmd.args[:min(len(cmd.args), 2)], " "), At: cmd.at}, true
	}
	if cmd.at != nil && cmd.prog != "" && !isPrompt(cmd) {
		for _, st := range s.Chain() {
			for _, in := range st.ByKeyword("ENV") {
				if k := portVar(in); k != "" {
					return RoleInfo{Role: RoleService, Why: "it sets " + k + " and runs " + cmd.prog, At: in}, true
				}
			}
		}
	}
	b, ok := s.Root().Image()
	if !ok || (cmd.at != nil && (isPrompt(cmd) || toolCommand(cmd))) {
		return RoleInfo{}, false
	}
	if serverImage(b) && (cmd.at == nil || cmd.prog != "") {
		return RoleInfo{Role: RoleService, Why: "it is built on the server image " + b.Familiar, At: s.Root().From}, true
	}
	if cmd.at != nil && cmd.prog != "" && b.Name == "mcr.microsoft.com/dotnet/aspnet" {
		return RoleInfo{Role: RoleService, Why: "it runs " + cmd.prog + " on the ASP.NET Core runtime", At: cmd.at}, true
	}
	return RoleInfo{}, false
}

// toolchainRole finds the evidence that the image's purpose is a
// toolchain: a build tool as its command, or no command (or a shell or the
// language's prompt) on a toolchain base, in a folder named for an SDK or
// JDK, or in a file that installs a language.
func (s *Stage) toolchainRole(cmd entryCommand) (RoleInfo, bool) {
	if cmd.at != nil && toolCommand(cmd) {
		return RoleInfo{Role: RoleToolchain, Why: "its command is the " + cmd.prog + " toolchain", At: cmd.at}, true
	}
	if cmd.at != nil && !openEnded(cmd) {
		return RoleInfo{}, false
	}
	if b, ok := s.Root().Image(); ok && toolchainImage(b) {
		return RoleInfo{Role: RoleToolchain, Why: "it is built on the toolchain image " + b.Familiar, At: s.Root().From}, true
	}
	if why := s.toolchainPath(); why != "" {
		return RoleInfo{Role: RoleToolchain, Why: why}, true
	}
	if k, in := s.LanguageVar(); k != "" {
		return RoleInfo{Role: RoleToolchain, Why: "it installs a language (ENV " + k + ")", At: in}, true
	}
	return RoleInfo{}, false
}

// LanguageVar returns the variable by which the image of s says that it
// installs a language, the way the official language images do (ENV
// PYTHON_VERSION, GOLANG_VERSION, JAVA_VERSION...), and the ENV that sets
// it; "" and nil when no stage of its chain sets one. Such an image is the
// language image itself, whatever it runs: php:fpm serves, and still keeps
// the compilers its users build extensions with.
func (s *Stage) LanguageVar() (string, *Instruction) {
	for _, st := range s.Chain() {
		for _, in := range st.ByKeyword("ENV") {
			if k := languageVar(in); k != "" {
				return k, in
			}
		}
	}
	return "", nil
}

// ToolchainPurpose says why the image of s exists to provide a language or
// toolchain (its role is a toolchain image, or it installs a language),
// "" when it does not. Rules about build tools and image size leave such
// images alone: the tools are what they are for.
func (s *Stage) ToolchainPurpose() string {
	if r := s.Role(); r.Role == RoleToolchain {
		return r.Why
	}
	if k, _ := s.LanguageVar(); k != "" {
		return "it installs a language (ENV " + k + ")"
	}
	if why := s.toolchainPath(); why != "" {
		return why
	}
	if s.notebook() {
		return "it is a Jupyter notebook environment, whose users build and install packages in it"
	}
	return ""
}

// toolchainFolder matches the folders in which image repositories keep
// their SDK and JDK variants (src/sdk/8.0, 21/jdk/alpine, 10.1/jdk21/...).
var toolchainFolder = regexp.MustCompile(`^(sdk|jdk)\d*$`)

// toolchainPath says why the file's path marks an SDK or JDK variant, ""
// when it does not.
func (s *Stage) toolchainPath() string {
	if s.file == nil {
		return ""
	}
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(s.file.Path, `\`, "/")), "/")
	for _, d := range parts[:max(len(parts)-1, 0)] {
		if toolchainFolder.MatchString(d) {
			return "the file builds " + strings.ToUpper(d[:3]) + " images (folder " + d + ")"
		}
	}
	return ""
}

// notebook reports a Jupyter notebook image: built on one of the Jupyter
// Docker Stacks, or setting their NB_USER.
func (s *Stage) notebook() bool {
	b := strings.ToLower(s.Root().Base)
	if strings.HasPrefix(b, "jupyter/") || strings.Contains(b, "/jupyter/") {
		return true
	}
	for _, st := range s.Chain() {
		for _, in := range st.ByKeyword("ENV") {
			if slices.Contains(envKeys(in), "NB_USER") {
				return true
			}
		}
	}
	return false
}

// envKeys returns the names an ENV instruction sets.
func envKeys(in *Instruction) []string {
	c, ok := in.Command.(*instructions.EnvCommand)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(c.Env))
	for _, kv := range c.Env {
		out = append(out, kv.Key)
	}
	return out
}

// portVars are environment variables through which applications are told
// where to listen.
var portVars = map[string]bool{"PORT": true, "HTTP_PORT": true, "SERVER_PORT": true, "LISTEN_PORT": true, "APP_PORT": true,
	"ASPNETCORE_URLS": true, "ASPNETCORE_HTTP_PORTS": true, "ASPNETCORE_HTTPS_PORTS": true, "SERVER_HOST": true}

func portVar(in *Instruction) string {
	for _, k := range envKeys(in) {
		if portVars[strings.ToUpper(k)] {
			return k
		}
	}
	return ""
}

// languageVars are the variables the official language images (and the
// images made like them) set when they install their language.
var languageVars = map[string]bool{"GOLANG_VERSION": true, "GO_VERSION": true, "RUST_VERSION": true, "RUSTUP_HOME": true,
	"PYTHON_VERSION": true, "NODE_VERSION": true, "RUBY_VERSION": true, "PHP_VERSION": true, "PERL_VERSION": true,
	"JAVA_VERSION": true, "MAVEN_VERSION": true, "MAVEN_HOME": true, "GRADLE_VERSION": true, "GRADLE_HOME": true,
	"DOTNET_SDK_VERSION": true, "ERLANG_VERSION": true, "OTP_VERSION": true, "ELIXIR_VERSION": true, "SWIFT_VERSION": true,
	"JULIA_VERSION": true, "HASKELL_VERSION": true, "GHC_VERSION": true, "DART_SDK": true, "PYPY_VERSION": true}

func languageVar(in *Instruction) string {
	for _, k := range envKeys(in) {
		if languageVars[strings.ToUpper(k)] {
			return k
		}
	}
	return ""
}

// toolchainImages are the official images whose purpose is to build:
// compilers, SDKs and build tools.
var toolchainImages = map[string]bool{"golang": true, "rust": true, "gcc": true, "maven": true, "gradle": true,
	"buildpack-deps": true, "openjdk": true, "swift": true, "haskell": true, "clojure": true, "sbt": true}

// toolchainImage reports an SDK or build-tool image: the official
// toolchains, a JDK (not a JRE), the .NET SDK.
func toolchainImage(b BaseImage) bool {
	tag := strings.ToLower(b.Tag)
	switch {
	case toolchainImages[b.Official]:
		return true
	case b.Official == "eclipse-temurin" || b.Official == "amazoncorretto" || b.Official == "ibm-semeru-runtimes" || b.Official == "sapmachine":
		return !strings.Contains(tag, "jre")
	case strings.HasPrefix(b.Name, "mcr.microsoft.com/dotnet/sdk"), strings.HasPrefix(b.Name, "mcr.microsoft.com/dotnet/core/sdk"):
		return true
	}
	return false
}

// serverImages are official images whose own command is a server.
var serverImages = map[string]bool{"nginx": true, "httpd": true, "tomcat": true, "jetty": true, "postgres": true, "redis": true,
	"mongo": true, "mysql": true, "mariadb": true, "rabbitmq": true, "caddy": true, "traefik": true, "haproxy": true,
	"memcached": true, "elasticsearch": true, "kibana": true, "logstash": true, "wordpress": true, "ghost": true,
	"nextcloud": true, "drupal": true, "joomla": true, "mediawiki": true, "odoo": true, "solr": true, "cassandra": true,
	"couchdb": true, "neo4j": true, "influxdb": true, "sonarqube": true, "registry": true, "consul": true, "vault": true,
	"nats": true, "zookeeper": true, "eclipse-mosquitto": true, "varnish": true, "adminer": true, "phpmyadmin": true,
	"matomo": true, "redmine": true, "kong": true, "open-liberty": true, "websphere-liberty": true, "tomee": true,
	"percona": true, "couchbase": true, "unit": true}

// serverImage reports an image whose own command serves: the official
// server images, PHP's Apache and FPM variants, and the vendors' images of
// the same servers.
func serverImage(b BaseImage) bool {
	tag := strings.ToLower(b.Tag)
	switch {
	case serverImages[b.Official]:
		return true
	case b.Official == "php":
		return strings.Contains(tag, "apache") || strings.Contains(tag, "fpm")
	}
	last := path.Base(b.Path)
	return b.Official == "" && serverImages[last] && last != "registry"
}

// entryCommand is the program a container of the image starts, as far as
// the Dockerfile sets it.
type entryCommand struct {
	// at is the ENTRYPOINT or CMD that sets it; nil when the file sets
	// neither (the image runs what its base image runs).
	at *Instruction
	// prog is the program's base name in lower case without .exe, past
	// wrappers (tini, gosu, exec, `sh -c`, entrypoint scripts); "" when
	// only wrappers are given.
	prog string
	args []string
	// wrapped is set when an entrypoint script or init wrapper came first.
	wrapped bool
}

// command returns the program the image of s starts. An ENTRYPOINT set
// in a stage resets a CMD set in the stages it is built FROM, as Docker
// does.
func (s *Stage) command() entryCommand {
	var ep, cmd *Instruction
	epDepth, cmdDepth := -1, -1
	for i, st := range s.Chain() {
		if ep == nil {
			if ins := st.ByKeyword("ENTRYPOINT"); len(ins) > 0 {
				ep, epDepth = ins[len(ins)-1], i
			}
		}
		if cmd == nil {
			if ins := st.ByKeyword("CMD"); len(ins) > 0 {
				cmd, cmdDepth = ins[len(ins)-1], i
			}
		}
	}
	if ep != nil && cmd != nil && cmdDepth > epDepth {
		cmd = nil
	}
	var argv []string
	at := cmd
	if ep != nil {
		argv = append(argv, commandLine(ep)...)
		at = ep
	}
	if cmd != nil {
		argv = append(argv, commandLine(cmd)...)
	}
	if at == nil {
		return entryCommand{}
	}
	c := mainProgram(argv)
	c.at = at
	return c
}

// commandLine returns the words of a CMD or ENTRYPOINT: the JSON array
// as written, or the shell form split on blanks.
func commandLine(in *Instruction) []string {
	var line []string
	prepend := false
	switch c := in.Command.(type) {
	case *instructions.CmdCommand:
		line, prepend = c.CmdLine, c.PrependShell
	case *instructions.EntrypointCommand:
		line, prepend = c.CmdLine, c.PrependShell
	default:
		line = in.Args
	}
	if prepend {
		return strings.Fields(strings.Join(line, " "))
	}
	return line
}

// mainProgram skips the wrappers at the start of argv and returns the
// program they run.
func mainProgram(argv []string) entryCommand {
	var c entryCommand
	for i := 0; i < len(argv); i++ {
		w := strings.Trim(argv[i], `"'`)
		name := strings.TrimSuffix(strings.ToLower(path.Base(strings.ReplaceAll(w, `\`, "/"))), ".exe")
		switch {
		case w == "" || w == "--" || strings.Contains(w, "=") && !strings.HasPrefix(w, "-"):
			continue
		case shells[name] && i+2 < len(argv) && strings.HasPrefix(argv[i+1], "-") && strings.Contains(argv[i+1], "c"):
			inner := mainProgram(strings.Fields(strings.Join(argv[i+2:], " ")))
			inner.wrapped = inner.wrapped || c.wrapped
			return inner
		case initWrappers[name]:
			c.wrapped = true
			i += userArg[name]
			for i+1 < len(argv) && strings.HasPrefix(argv[i+1], "-") {
				i++
			}
		case trueShells[name] && i+1 < len(argv):
			// `bash script.sh`, `powershell -f entrypoint.ps1`: the script
			// is what runs.
			c.wrapped = true
			for i+1 < len(argv) && strings.HasPrefix(argv[i+1], "-") {
				i++
			}
		case entrypointScript.MatchString(name) && i+1 < len(argv):
			// A script that is given a command runs it in the end; one
			// given nothing is the program itself.
			c.wrapped = true
		case runners[name] && i+1 < len(argv) && runnerSubs[strings.ToLower(argv[i+1])]:
			i++
		case strings.HasPrefix(w, "-") && c.prog == "":
			continue
		default:
			c.prog, c.args = name, argv[i+1:]
			return c
		}
	}
	return c
}

// initWrappers start the real program: init processes, privilege droppers,
// exec and env. userArg counts the arguments a dropper takes before the
// program (the user).
var (
	initWrappers = map[string]bool{"tini": true, "tini-static": true, "dumb-init": true, "exec": true, "env": true,
		"gosu": true, "su-exec": true, "chpst": true, "s6-setuidgid": true, "setpriv": true, "nohup": true, "catatonit": true}
	userArg = map[string]int{"gosu": 1, "su-exec": 1, "s6-setuidgid": 1}
)

// entrypointScript matches entrypoint wrapper scripts that end by running
// the command they are given (docker-entrypoint.sh, mvn-entrypoint.sh,
// docker-php-entrypoint, /__cacert_entrypoint.sh).
var entrypointScript = regexp.MustCompile(`(^|[-_.])entrypoint(\.sh|\.ps1|\.cmd|\.bat)?$|^docker-[a-z0-9-]*entrypoint`)

// trueShells are the shells among shells: followed by a word, they run a
// script, where an interpreter runs a program of its own.
var trueShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true,
	"pwsh": true, "powershell": true}

// runners run the next word as a program (`bundle exec rails`, `uv run`).
var (
	runners    = map[string]bool{"bundle": true, "uv": true, "poetry": true, "pipenv": true, "pdm": true, "npx": true, "rye": true}
	runnerSubs = map[string]bool{"exec": true, "run": true}
)

// shells are interactive shells and interpreter prompts: an image whose
// command is one is meant to be built FROM or given a command.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "fish": true, "ksh": true,
	"pwsh": true, "pwsh-preview": true, "powershell": true, "cmd": true, "python": true, "python2": true, "python3": true,
	"node": true, "irb": true, "jshell": true, "ghci": true, "iex": true, "erl": true, "julia": true, "lua": true,
	"perl": true, "php": true, "ruby": true, "pypy": true, "pypy3": true, "groovysh": true, "scala": true, "r": true,
	"dotnet": true}

// isPrompt reports a command that is a shell or an interpreter's prompt:
// one of shells with no operand but options (`bash -l`, `php -a`).
func isPrompt(c entryCommand) bool {
	if !shells[c.prog] {
		return false
	}
	for _, a := range c.args {
		if !strings.HasPrefix(a, "-") {
			return false
		}
	}
	return true
}

// openEnded reports a command that names no application: a shell or a
// prompt, or an entrypoint script given nothing to run, which runs what
// `docker run` passes it.
func openEnded(c entryCommand) bool {
	if isPrompt(c) || (c.prog == "" && c.wrapped) {
		return true
	}
	return c.at != nil && c.at.Keyword == "ENTRYPOINT" && len(c.args) == 0 && entrypointScript.MatchString(c.prog)
}

// EntryProgram returns the program a container of the image of s starts,
// past wrappers (tini, gosu, `sh -c`, entrypoint scripts given a command):
// its base name in lower case without .exe, its arguments, and the
// ENTRYPOINT or CMD that sets it. All are empty when the file sets no
// command.
func (s *Stage) EntryProgram() (prog string, args []string, at *Instruction) {
	c := s.command()
	return c.prog, c.args, c.at
}

// toolCommand reports a build tool or SDK front end as the command, unless
// it runs the application (`go run`, `dotnet app.dll`, `cargo run`).
func toolCommand(c entryCommand) bool {
	if !toolPrograms[c.prog] {
		return false
	}
	if c.prog == "dotnet" {
		// The runtime's host is dotnet too; only the SDK's verbs build.
		return len(c.args) > 0 && dotnetSDKVerbs[strings.ToLower(c.args[0])]
	}
	for _, a := range c.args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		a = strings.ToLower(a)
		return a != "run" && a != "exec" && !strings.HasSuffix(a, ".dll") && !strings.Contains(a, ":run")
	}
	return true
}

// toolPrograms are build tools and SDK front ends.
var toolPrograms = map[string]bool{"mvn": true, "mvnw": true, "gradle": true, "gradlew": true, "go": true, "cargo": true,
	"rustc": true, "rustup": true, "gcc": true, "make": true, "cmake": true, "javac": true, "dotnet": true, "sbt": true,
	"lein": true, "mix": true, "rebar3": true, "swift": true, "docker": true, "buildctl": true}

var dotnetSDKVerbs = map[string]bool{"build": true, "test": true, "publish": true, "restore": true, "watch": true,
	"new": true, "pack": true, "msbuild": true, "tool": true, "format": true}

// testRunners are programs that run a test suite.
var testRunners = map[string]bool{"pytest": true, "tox": true, "nox": true, "jest": true, "mocha": true, "cypress": true,
	"playwright": true, "rspec": true, "phpunit": true, "newman": true, "k6": true, "locust": true}

// testScript matches scripts named for running tests (tests.sh,
// run-tests.sh, run_test).
var testScript = regexp.MustCompile(`^(run[-_]?)?(unit|integration|e2e)?[-_]?tests?(\.sh|\.py|\.ps1)?$`)

// testRunner reports a program that runs a test suite.
func testRunner(prog string) bool { return testRunners[prog] || testScript.MatchString(prog) }

func keepAlive(c entryCommand) bool {
	switch c.prog {
	case "sleep":
		return len(c.args) > 0 && (c.args[0] == "infinity" || c.args[0] == "inf")
	case "tail":
		return len(c.args) > 0 && c.args[len(c.args)-1] == "/dev/null"
	}
	return false
}

// servers are programs that listen for connections.
var servers = map[string]bool{"nginx": true, "nginx-debug": true, "httpd": true, "httpd-foreground": true, "apache2": true,
	"apache2-foreground": true, "apache2ctl": true, "apachectl": true, "lighttpd": true, "caddy": true, "traefik": true,
	"haproxy": true, "envoy": true, "php-fpm": true, "uwsgi": true, "gunicorn": true, "uvicorn": true, "hypercorn": true,
	"daphne": true, "granian": true, "waitress-serve": true, "puma": true, "unicorn": true, "thin": true, "passenger": true,
	"rackup": true, "catalina.sh": true, "redis-server": true, "redis-sentinel": true, "postgres": true, "mysqld": true,
	"mariadbd": true, "mongod": true, "mongos": true, "memcached": true, "rabbitmq-server": true, "elasticsearch": true,
	"kibana": true, "zkserver.sh": true, "kafka-server-start.sh": true, "nats-server": true, "mosquitto": true, "sshd": true,
	"vsftpd": true, "dnsmasq": true, "named": true, "postfix": true, "dovecot": true, "supervisord": true, "runsvdir": true,
	"runit_bootstrap": true, "s6-svscan": true, "squid": true, "varnishd": true, "grafana-server": true, "prometheus": true,
	"minio": true, "registry": true, "dockerd": true, "dockerd-entrypoint.sh": true, "buildkitd": true, "containerd": true,
	"servicemonitor": true, "openvpn": true, "ollama": true, "http-server": true, "serve": true, "nodemon": true,
	"pm2-runtime": true, "streamlit": true, "jupyter": true, "jupyterhub": true, "start-notebook.sh": true,
	"start-notebook.py": true, "tensorboard": true, "mlflow": true, "hugo": true, "jekyll": true, "etcd": true,
	"coredns": true, "temporal-server": true, "keycloak": true, "kc.sh": true, "perkeepd": true, "radiusd": true,
	"distccd": true, "pomerium": true, "oauth2_proxy": true, "oauth2-proxy": true, "auth_server": true, "unitd": true,
	"buildkitd-entrypoint": true, "launch-netbox.sh": true, "gitea": true, "dex": true, "syncthing": true}

// serverWords are arguments that make a general program serve: a
// subcommand (runserver, serve, server) or a script named for a server.
var serverWords = map[string]bool{"serve": true, "server": true, "runserver": true, "webserver": true, "start-foreground": true,
	"http.server": true}

// serverCommand reports a command that runs a server: a known server
// program, a package script that starts one (npm start), an interpreter
// running a script named server.*, a framework's serve subcommand, or the
// agent or server mode of the HashiCorp tools.
func serverCommand(c entryCommand) bool {
	if servers[c.prog] {
		return true
	}
	args := c.args
	switch c.prog {
	case "npm", "yarn", "pnpm", "bun":
		for _, a := range args {
			switch strings.ToLower(a) {
			case "start", "serve", "preview", "start:prod":
				return true
			}
		}
		return false
	case "consul", "nomad":
		return slices.Contains(args, "agent")
	case "vault":
		return len(args) > 0 && args[0] == "server"
	case "rails":
		return len(args) > 0 && (args[0] == "s" || args[0] == "server")
	case "php":
		return len(args) > 0 && args[0] == "-S"
	case "flask":
		return len(args) > 0 && args[0] == "run"
	case "fastapi":
		return len(args) > 0 && (args[0] == "run" || args[0] == "dev")
	}
	for _, a := range args {
		b := strings.ToLower(path.Base(a))
		if serverWords[b] || strings.HasPrefix(b, "server.") || strings.HasPrefix(b, "serve.") {
			return true
		}
	}
	return false
}
