package dockerfile

import (
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1301 reports dependency installs in the final image that include the
// project's development dependencies: npm/yarn/pnpm without a production
// flag or NODE_ENV=production, pip from a dev requirements file or a [dev]
// extra, poetry/uv/pipenv with their dev groups, bundler without excluding
// development, composer without --no-dev. Test runners, linters and build
// plugins then ship and run in production.
var DF1301 = &rule.Rule{
	ID:       "DF1301",
	Slug:     "dev-dependencies-in-final-stage",
	Title:    "Development dependencies installed in the final stage",
	Severity: rule.Medium,
	Category: rule.CatMultiStage,
	Rationale: "Development dependencies (test frameworks, linters, bundlers, type checkers, debuggers) are often larger " +
		"than the runtime dependencies and carry most of a project's known vulnerabilities, yet the running " +
		"application never loads them. Installing them in the final image ships that code and widens what an " +
		"attacker can reuse. Install everything in a build stage, build there, and install only production " +
		"dependencies (npm ci --omit=dev, poetry install --only main, composer install --no-dev) in the final stage. " +
		"Development images (dev containers, Dockerfile.dev, a last stage named dev or test) are not reported.",
	Fix: "Install production dependencies only in the final stage (npm ci --omit=dev, yarn install --production, pnpm install --prod, " +
		"poetry install --only main, bundle config set without development, composer install --no-dev). " +
		"Run builds that need dev dependencies in an earlier stage and copy the output.",
	Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]",
	Good: "FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n" +
		"COPY . .\nCMD [\"node\", \"server.js\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.npmjs.com/cli/commands/npm-ci#omit",
		"https://docs.docker.com/build/building/multi-stage/",
		"https://python-poetry.org/docs/cli/#install",
		"https://getcomposer.org/doc/03-cli.md#install-i",
	},
	Check: checkDevDependencies,
}

// stsDevRequirements matches pip requirement files for development.
var stsDevRequirements = regexp.MustCompile(`(?i)(^|[/_.-])(dev|develop|development|test|tests|testing|lint|ci|docs)([_.-][^/]*)?\.(txt|in)$|(^|/)requirements[/_-]?(dev|test|tests|testing|lint|ci|docs)[^/]*$|(^|/)(dev|test|tests|testing)[/_-]requirements[^/]*$`)

// stsDevExtra matches a pip install of a project with development extras:
// `.[dev]`, `-e .[test,lint]`, `pkg[dev]`.
var stsDevExtra = regexp.MustCompile(`(?i)\[([^\]]*,)?\s*(dev|develop|development|test|tests|testing|lint|all)\s*(,[^\]]*)?\]$`)

func checkDevDependencies(p *rule.Pass) error {
	for _, st := range finalChain(fileOf(p)) {
		for in := range st.Runs() {
			for i, c := range in.Script.Commands {
				if what := stsDevInstall(in, i, c); what != "" {
					p.Report(rule.Finding{Message: what + " in " + stsStageWhere(fileOf(p), in.Stage), Remedy: stsDevRemedy(c),
						Location: rule.Location{Range: in.CmdRange(c)}})
				}
			}
		}
	}
	return nil
}

// stsEnvIs reports whether a variable is set to one of the values, from the
// command's own assignments or from ARG/ENV.
func stsEnvIs(in *df.Instruction, c *df.Cmd, name string, values ...string) (string, bool) {
	v, ok := c.Assigns[name]
	if !ok {
		if v, ok = in.Vars.Value(name); !ok {
			return "", false
		}
	}
	if len(values) == 0 {
		return v, true
	}
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return v, true
		}
	}
	return v, false
}

// stsNodeProduction reports NODE_ENV=production (or npm's own production
// switch) in force for the command.
func stsNodeProduction(in *df.Instruction, c *df.Cmd) bool {
	if _, ok := stsEnvIs(in, c, "NODE_ENV", "production"); ok {
		return true
	}
	if _, ok := stsEnvIs(in, c, "NPM_CONFIG_PRODUCTION", "true", "1"); ok {
		return true
	}
	if v, ok := stsEnvIs(in, c, "NPM_CONFIG_OMIT"); ok && strings.Contains(strings.ToLower(v), "dev") {
		return true
	}
	if _, ok := stsEnvIs(in, c, "npm_config_production", "true", "1"); ok {
		return true
	}
	return false
}

// stsPrunedLater reports a production prune later in the same RUN
// (`npm ci && npm run build && npm prune --omit=dev`): the dev
// dependencies never reach a layer.
func stsPrunedLater(in *df.Instruction, idx int, mgr string) bool {
	for _, c := range in.Script.Commands[idx+1:] {
		if c.Name != mgr {
			continue
		}
		switch {
		case c.Sub() == "prune" && (c.HasFlag("--production", "--prod", "--omit") || stsNodeProduction(in, c)):
			return true
		case mgr == "yarn" && c.Sub() == "install" && c.HasFlag("--production", "--prod"):
			return true
		case mgr == "pnpm" && (c.Sub() == "install" || c.Sub() == "i") && c.HasFlag("--prod", "-P"):
			return true
		case (mgr == "npm") && (c.Sub() == "ci" || c.Sub() == "install") && c.HasFlag("--omit", "--production", "--only"):
			return true
		}
	}
	return false
}

// stsDevInstall describes a command that installs development
// dependencies, or returns "".
func stsDevInstall(in *df.Instruction, idx int, c *df.Cmd) string {
	sub := c.Sub()
	pos := c.Positionals()
	if sub == "" && c.HasFlag("--version", "-v", "-V", "--help", "-h") {
		return ""
	}
	switch c.Name {
	case "npm", "yarn", "pnpm":
		return stsDevNode(in, idx, c, sub, pos)
	case "pip", "pip3", "uv", "python", "python3":
		return stsDevPip(in, idx, c, pos)
	}
	return stsDevTool(in, c, sub, pos)
}

// stsDevNode judges npm, yarn and pnpm installs.
func stsDevNode(in *df.Instruction, idx int, c *df.Cmd, sub string, pos []string) string {
	switch c.Name {
	case "npm":
		if sub != "ci" && sub != "install" && sub != "i" && sub != "clean-install" && sub != "isntall" {
			return ""
		}
		// Named packages or a global install do not read package.json's
		// devDependencies.
		if len(pos) > 1 || c.HasFlag("-g", "--global") {
			return ""
		}
		if v, ok := c.FlagValue("--include"); ok && strings.Contains(v, "dev") {
			return "`npm " + sub + " --include=dev` installs devDependencies"
		}
		if v, ok := c.FlagValue("--omit"); ok && strings.Contains(v, "dev") {
			return ""
		}
		if v, ok := c.FlagValue("--only"); ok && strings.HasPrefix(strings.ToLower(v), "prod") {
			return ""
		}
		if v, ok := c.FlagValue("--production"); ok && v == "false" {
			return "`npm " + sub + " --production=false` installs devDependencies"
		}
		if c.HasFlag("--production", "--prod") || stsNodeProduction(in, c) || stsPrunedLater(in, idx, "npm") {
			return ""
		}
		return "`npm " + sub + "` installs devDependencies (no --omit=dev and NODE_ENV is not production)"
	case "yarn":
		if sub != "" && sub != "install" {
			return ""
		}
		if sub == "" && len(c.Args) > 0 && !strings.HasPrefix(c.Args[0], "-") {
			return ""
		}
		if c.HasFlag("--production", "--prod") || stsNodeProduction(in, c) || stsPrunedLater(in, idx, "yarn") {
			return ""
		}
		return "`yarn install` installs devDependencies (no --production and NODE_ENV is not production)"
	case "pnpm":
		if sub != "install" && sub != "i" {
			return ""
		}
		if len(pos) > 1 || c.HasFlag("-g", "--global") {
			return ""
		}
		if c.HasFlag("--prod", "-P", "--production") || stsNodeProduction(in, c) || stsPrunedLater(in, idx, "pnpm") {
			return ""
		}
		return "`pnpm install` installs devDependencies (no --prod and NODE_ENV is not production)"
	}
	return ""
}

// stsDevPip judges pip installs (also python -m pip and uv pip) and uv sync.
func stsDevPip(in *df.Instruction, idx int, c *df.Cmd, pos []string) string {
	args := c.Args
	if c.Name == "python" || c.Name == "python3" {
		// python -m pip install ...
		if len(args) < 2 || args[0] != "-m" || (args[1] != "pip" && args[1] != "pip3") {
			return ""
		}
		args = args[2:]
	}
	if c.Name == "uv" {
		if len(pos) > 0 && pos[0] == "sync" {
			if c.HasFlag("--no-dev", "--only-group", "--no-default-groups") {
				return ""
			}
			if _, ok := stsEnvIs(in, c, "UV_NO_DEV", "1", "true"); ok {
				return ""
			}
			return "`uv sync` installs the dev dependency group (no --no-dev)"
		}
		if len(pos) < 2 || pos[0] != "pip" {
			return ""
		}
		args = args[1:]
	}
	words := expandWords(in, idx, args)
	if len(words) == 0 || words[0] != "install" {
		return ""
	}
	for j := 1; j < len(words); j++ {
		w := words[j]
		switch {
		case w == "-r" || w == "--requirement" || w == "-c" || w == "--constraint":
			if j+1 < len(words) && stsDevRequirements.MatchString(words[j+1]) {
				return "pip installs development requirements from " + words[j+1]
			}
			j++
		case strings.HasPrefix(w, "-r") && len(w) > 2 && stsDevRequirements.MatchString(w[2:]):
			return "pip installs development requirements from " + w[2:]
		case strings.HasPrefix(w, "--requirement="):
			if f := strings.TrimPrefix(w, "--requirement="); stsDevRequirements.MatchString(f) {
				return "pip installs development requirements from " + f
			}
		case !strings.HasPrefix(w, "-") && stsDevExtra.MatchString(w):
			return "pip installs `" + w + "` with its development extras"
		}
	}
	return ""
}

// stsDevTool judges poetry, pipenv, bundler and composer installs.
func stsDevTool(in *df.Instruction, c *df.Cmd, sub string, pos []string) string {
	switch c.Name {
	case "poetry":
		if sub != "install" && sub != "sync" {
			return ""
		}
		if v, ok := c.FlagValue("--with"); ok && stsMentionsDev(v) {
			return "`poetry " + sub + " --with " + v + "` installs a development group"
		}
		if v, ok := c.FlagValue("--only"); ok {
			if strings.Contains(strings.ToLower(v), "main") {
				return ""
			}
			return "`poetry " + sub + " --only " + v + "` installs a non-production group"
		}
		if v, ok := c.FlagValue("--without"); ok && stsMentionsDev(v) {
			return ""
		}
		if c.HasFlag("--no-dev", "--only-root") {
			return ""
		}
		return "`poetry " + sub + "` installs the dev group (no --only main or --without dev)"
	case "pipenv":
		if sub == "install" || sub == "sync" {
			if c.HasFlag("--dev", "-d") {
				return "`pipenv " + sub + " --dev` installs development packages"
			}
		}
	case "bundle", "bundler":
		if sub != "install" && sub != "" {
			return ""
		}
		if sub == "" && len(pos) > 0 {
			return ""
		}
		if v, ok := c.FlagValue("--without"); ok && stsMentionsDev(v) {
			return ""
		}
		if v, ok := stsEnvIs(in, c, "BUNDLE_WITHOUT"); ok && stsMentionsDev(v) {
			return ""
		}
		if stsBundleConfigured(in) {
			return ""
		}
		return "`bundle install` installs the development and test groups (BUNDLE_WITHOUT does not exclude them)"
	case "composer", "composer.phar":
		if sub != "install" && sub != "update" && sub != "require" {
			return ""
		}
		if sub == "require" {
			if c.HasFlag("--dev") {
				return "`composer require --dev` adds a development package"
			}
			return ""
		}
		if c.HasFlag("--no-dev") {
			return ""
		}
		if _, ok := stsEnvIs(in, c, "COMPOSER_NO_DEV", "1", "true"); ok {
			return ""
		}
		return "`composer " + sub + "` installs require-dev packages (no --no-dev)"
	}
	return ""
}

// stsMentionsDev reports a group list naming development or test groups.
func stsMentionsDev(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "dev") || strings.Contains(s, "test")
}

// stsBundleConfigured reports a `bundle config [set] without ...`
// excluding development earlier in the final image's stages.
func stsBundleConfigured(in *df.Instruction) bool {
	for _, st := range in.Stage.Chain() {
		for _, other := range st.Instructions {
			if other.Range.Line > in.Range.Line && st == in.Stage {
				break
			}
			if other.Script == nil {
				continue
			}
			for _, c := range other.Script.Commands {
				if (c.Name == "bundle" || c.Name == "bundler") && c.Sub() == "config" {
					joined := strings.ToLower(strings.Join(c.Args, " "))
					if strings.Contains(joined, "without") && stsMentionsDev(strings.ReplaceAll(joined, "without", "")) {
						return true
					}
				}
			}
		}
	}
	return false
}

// stsProdInstall is the production-only install of each package manager.
var stsProdInstall = map[string]string{
	"npm": "npm ci --omit=dev", "yarn": "yarn install --production (Yarn 1) or yarn workspaces focus --production (Yarn 2+)",
	"pnpm": "pnpm install --prod", "uv": "uv sync --no-dev", "poetry": "poetry install --only main",
	"bundle": "bundle config set --local without 'development test' before bundle install", "composer": "composer install --no-dev",
	"pipenv": "pipenv install --deploy (without --dev)",
}

// stsDevRemedy names the production install of the command's own tool.
func stsDevRemedy(c *df.Cmd) string {
	if v, ok := stsProdInstall[c.Name]; ok {
		return "Install production dependencies only in the final stage: `" + v + "`; keep the rest in a build or test stage."
	}
	if strings.HasPrefix(c.Name, "pip") || strings.HasPrefix(c.Name, "python") {
		return "Install only the runtime requirements in the final stage (drop the development requirements file or extras); keep them in a build or test stage."
	}
	return ""
}
