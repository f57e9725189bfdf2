package dockerfile

import (
	"fmt"
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1700 catches a COPY or ADD of the whole build context (`.`, `./`, `*`)
// that comes before a dependency install in the same stage (npm ci, pip
// install -r, go mod download, bundle install, ...) when the dependency
// manifests were not copied on their own first. Any edit to any source file
// then invalidates the cached install and every build downloads all
// dependencies again.
var DF1700 = &rule.Rule{
	ID:       "DF1700",
	Slug:     "copy-before-dependencies",
	Title:    "Whole context copied before dependency installation",
	Severity: rule.Medium,
	Category: rule.CatCache,
	Rationale: "BuildKit reuses a RUN from cache only while every earlier layer is unchanged. After `COPY . .`, any edit anywhere in " +
		"the project changes that layer, so the dependency install below it runs again from scratch: slow builds, and a fresh " +
		"resolution from the registries on every commit, which is exactly when a compromised or yanked package slips in. Copying " +
		"only the manifests and lock files first keeps the install cached until the dependencies really change.",
	Fix: "Copy the dependency manifests first, install, then copy the rest: `COPY package.json package-lock.json ./`, `RUN npm ci`, `COPY . .` " +
		"(likewise requirements.txt, go.mod/go.sum, Gemfile/Gemfile.lock, pom.xml, Cargo.toml/Cargo.lock, composer.json/composer.lock, *.csproj).",
	Bad:  "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]",
	Good: "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]",
	References: []string{
		"https://docs.docker.com/build/cache/optimize/#order-your-layers",
		"https://docs.docker.com/build/building/best-practices/#leverage-build-cache",
	},
	Peers: []rule.Peer{},
	Check: checkCopyBeforeDeps,
}

// leanDepInstall is a dependency install and the manifests it reads
// (base names or patterns); show names them for the message.
type leanDepInstall struct {
	what      string
	manifests []string
	show      string
}

func checkCopyBeforeDeps(p *rule.Pass) error {
	for _, s := range fileOf(p).Stages {
		if !s.Windows {
			leanCopyOrder(p, s)
		}
	}
	return nil
}

// leanCopyOrder reports the first broad COPY of a stage that precedes a
// dependency install whose manifests were not copied before it.
func leanCopyOrder(p *rule.Pass, s *df.Stage) {
	var broad *df.Instruction
	var copied, done []string
	for _, in := range s.Instructions {
		switch in.Keyword {
		case "COPY", "ADD":
			srcs := leanLocalSources(in)
			if broad == nil && leanBroad(srcs) {
				broad = in
			} else if broad == nil {
				copied = append(copied, srcs...)
			}
		case "RUN":
			if in.Script == nil {
				continue
			}
			if broad == nil {
				// Manifests bind-mounted into an install before the broad
				// COPY count as copied, and so does an install already done.
				for _, m := range in.Script.Mounts {
					if m.Type == "bind" && m.Source != "" {
						copied = append(copied, m.Source)
					}
				}
				for _, c := range in.Script.Commands {
					if d, ok := leanDependencyInstall(in, c); ok {
						done = append(done, d.manifests...)
					}
				}
				continue
			}
			for _, c := range in.Script.Commands {
				d, ok := leanDependencyInstall(in, c)
				if !ok || leanAnyCopied(copied, d.manifests) || leanSameManifests(done, d.manifests) {
					continue
				}
				p.Reportf(broad.Start(), "%s copies the whole context before `%s` at line %d; copy %s first so the install stays cached",
					leanCopyText(broad), d.what, in.Range.Line, d.show)
				return
			}
		}
	}
}

// leanLocalSources returns the build-context sources of a COPY/ADD, or nil
// for COPY --from, heredocs and URLs.
func leanLocalSources(in *df.Instruction) []string {
	if _, from := in.Flag("from"); from || len(in.Args) < 2 || (in.Node != nil && len(in.Node.Heredocs) > 0) {
		return nil
	}
	var out []string
	for _, s := range in.Args[:len(in.Args)-1] {
		if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
			continue
		}
		v, _ := in.Expand(s)
		out = append(out, v)
	}
	return out
}

// leanBroad reports whether the sources are the whole context.
func leanBroad(srcs []string) bool {
	for _, s := range srcs {
		switch s {
		case ".", "./", "*", "./*", "./.", "/", ".*":
			return true
		}
	}
	return false
}

func leanCopyText(in *df.Instruction) string {
	return in.Keyword + " " + strings.Join(in.Args, " ")
}

// leanAnyCopied reports whether one of the manifests (base-name patterns)
// was among the sources copied before the broad COPY.
func leanAnyCopied(copied, manifests []string) bool {
	for _, c := range copied {
		b := path.Base(strings.TrimSuffix(c, "/"))
		for _, m := range manifests {
			if ok, _ := path.Match(m, b); ok {
				return true
			}
			if ok, _ := path.Match(b, path.Base(strings.ReplaceAll(m, "*", "x"))); ok && strings.ContainsAny(b, "*?[") {
				return true
			}
		}
	}
	return false
}

// leanDependencyInstall recognises commands that download a project's
// dependencies from its manifests.
func leanDependencyInstall(in *df.Instruction, c *df.Cmd) (leanDepInstall, bool) {
	node := []string{"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "package*.json", ".yarnrc.yml"}
	sub, i := c.Subcommand("--prefix", "-C", "--cwd", "--dir", "-w", "--workspace", "--filter")
	var rest []string
	if i >= 0 {
		rest = c.OperandsAfter(i)
	}
	switch c.Name {
	case "npm":
		if (sub == "ci" || sub == "install" || sub == "i" || sub == "clean-install") && len(rest) == 0 && !c.HasFlag("-g", "--global") {
			return leanDepInstall{"npm " + sub, node, "package.json and package-lock.json"}, true
		}
	case "yarn":
		if ys, _ := c.YarnSubcommand("--cwd"); ys == "install" && len(rest) == 0 {
			return leanDepInstall{"yarn install", node, "package.json and yarn.lock"}, true
		}
	case "pnpm":
		if (sub == "install" || sub == "i" || sub == "fetch") && len(rest) == 0 && !c.HasFlag("-g", "--global") {
			return leanDepInstall{"pnpm " + sub, node, "package.json and pnpm-lock.yaml"}, true
		}
	case "bun":
		if (sub == "install" || sub == "i") && len(rest) == 0 {
			return leanDepInstall{"bun install", append(node, "bun.lockb", "bun.lock"), "package.json and bun.lock"}, true
		}
	case "poetry":
		if sub == "install" {
			return leanDepInstall{"poetry install", []string{"pyproject.toml", "poetry.lock"}, "pyproject.toml and poetry.lock"}, true
		}
	case "pipenv":
		if (sub == "install" || sub == "sync") && len(rest) == 0 {
			return leanDepInstall{"pipenv " + sub, []string{"Pipfile", "Pipfile.lock"}, "Pipfile and Pipfile.lock"}, true
		}
	case "uv":
		if sub == "sync" {
			return leanDepInstall{"uv sync", []string{"pyproject.toml", "uv.lock"}, "pyproject.toml and uv.lock"}, true
		}
	case "go":
		if sub == "mod" && len(rest) > 0 && rest[0] == "download" {
			return leanDepInstall{"go mod download", []string{"go.mod", "go.sum"}, "go.mod and go.sum"}, true
		}
	case "bundle", "bundler":
		if sub == "install" || sub == "" {
			return leanDepInstall{"bundle install", []string{"Gemfile", "Gemfile.lock", "*.gemspec"}, "Gemfile and Gemfile.lock"}, true
		}
	case "mvn", "mvnw":
		for _, a := range c.Args {
			if strings.HasPrefix(a, "dependency:go-offline") || strings.HasPrefix(a, "dependency:resolve") || strings.HasPrefix(a, "de.qaware.maven:go-offline-maven-plugin") {
				return leanDepInstall{c.Name + " " + a, []string{"pom.xml"}, "pom.xml"}, true
			}
		}
	case "gradle", "gradlew":
		for _, a := range c.Args {
			if a == "dependencies" || a == "downloadDependencies" {
				return leanDepInstall{c.Name + " " + a, []string{"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties", "*.gradle", "*.gradle.kts"}, "the Gradle build files"}, true
			}
		}
	case "cargo":
		if sub == "fetch" {
			return leanDepInstall{"cargo fetch", []string{"Cargo.toml", "Cargo.lock"}, "Cargo.toml and Cargo.lock"}, true
		}
	case "composer", "composer.phar":
		if sub == "install" && len(rest) == 0 {
			return leanDepInstall{"composer install", []string{"composer.json", "composer.lock"}, "composer.json and composer.lock"}, true
		}
	case "dotnet":
		if sub == "restore" {
			return leanDepInstall{"dotnet restore", []string{"*.csproj", "*.fsproj", "*.vbproj", "*.sln", "*.slnx", "Directory.Packages.props", "Directory.Build.props", "NuGet.config", "nuget.config", "packages.lock.json"}, "the project files (*.csproj, *.sln)"}, true
		}
	case "mix":
		if sub == "deps.get" {
			return leanDepInstall{"mix deps.get", []string{"mix.exs", "mix.lock"}, "mix.exs and mix.lock"}, true
		}
	}
	if args := leanPipInstall(c); args != nil {
		x, _ := in.ExpandCmd(&df.Cmd{Args: args})
		for j, a := range x.Args {
			var f string
			switch {
			case (a == "-r" || a == "--requirement" || a == "-c" || a == "--constraint") && j+1 < len(x.Args):
				f = x.Args[j+1]
			case strings.HasPrefix(a, "--requirement="):
				f = strings.TrimPrefix(a, "--requirement=")
			case strings.HasPrefix(a, "-r") && len(a) > 2:
				f = a[2:]
			}
			if f != "" {
				return leanDepInstall{fmt.Sprintf("%s install -r %s", c.Name, f), leanReqManifests(f), path.Base(f)}, true
			}
		}
	}
	return leanDepInstall{}, false
}

// leanReqManifests returns what a copy of a requirements file looks like:
// the file itself, any requirements*.txt, or the directory holding it.
func leanReqManifests(f string) []string {
	out := []string{path.Base(f), "requirements*.txt"}
	if d := path.Dir(f); d != "." && d != "/" {
		out = append(out, path.Base(d))
	}
	return out
}

// leanSameManifests reports whether an install reading the same manifests
// already ran before the broad COPY.
func leanSameManifests(done, manifests []string) bool {
	for _, d := range done {
		for _, m := range manifests {
			if d == m {
				return true
			}
		}
	}
	return false
}
