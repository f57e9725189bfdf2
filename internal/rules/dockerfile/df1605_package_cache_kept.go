package dockerfile

import (
	"fmt"
	"slices"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1605 catches installs with yum, dnf, microdnf, tdnf, zypper, pacman, npm
// and yarn in a stage that ships, when the same RUN does not clean the
// manager's cache (clean all, zypper clean, npm cache clean, yarn cache
// clean, rm of the cache directory) and no cache mount covers it.
var DF1605 = &rule.Rule{
	ID:       "DF1605",
	Slug:     "package-cache-kept",
	Title:    "Package manager cache not cleaned in the same RUN",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "yum and dnf keep repository metadata and downloaded RPMs under /var/cache, zypper under /var/cache/zypp, pacman under " +
		"/var/cache/pacman/pkg, npm a copy " +
		"of every tarball in ~/.npm and yarn in its global cache. None of it is used once the layer is built, and because a layer is " +
		"frozen when its RUN ends, only a clean-up in the same RUN keeps it out of the image. Stages only read through COPY --from " +
		"are not checked.",
	Fix: "Finish the installing RUN with the manager's clean-up: `&& dnf clean all` (yum, microdnf, tdnf alike), `&& zypper clean --all`, " +
		"`&& pacman -Scc --noconfirm`, `&& npm cache clean --force`, `&& yarn cache clean`; or mount the cache directory with `RUN --mount=type=cache,...`.",
	Bad:  "FROM fedora:40\nRUN dnf install -y httpd",
	Good: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all",
	Settings: []rule.Setting{
		{Name: "npm", Type: "bool", Default: true, Doc: "Also check npm install/ci for a kept ~/.npm cache."},
		{Name: "yarn", Type: "bool", Default: true, Doc: "Also check yarn install/add for a kept yarn cache."},
	},
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3032"}, {Tool: "hadolint", ID: "DL3036"}, {Tool: "hadolint", ID: "DL3040"}, {Tool: "hadolint", ID: "DL3060"}, {Tool: "trivy", ID: "DS-0015"}, {Tool: "trivy", ID: "DS-0019"}, {Tool: "trivy", ID: "DS-0020"}, {Tool: "trivy", ID: "DS-0027"}, {Tool: "kics", ID: "295acb63-9246-4b21-b441-7c1f1fb62dc0"}, {Tool: "kics", ID: "38300d1a-feb2-4a48-936a-d1ef1cd24313"}, {Tool: "kics", ID: "00481784-25aa-4a55-8633-3136dfcf4f37"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#run",
		"https://github.com/hadolint/hadolint/wiki/DL3040",
		"https://github.com/hadolint/hadolint/wiki/DL3060",
		"https://docs.npmjs.com/cli/commands/npm-cache",
	},
	Check: checkPackageCache,
}

var (
	leanRPMCaches    = []string{"/var/cache/yum", "/var/cache/dnf", "/var/cache/tdnf", "/var/cache/libdnf5"}
	leanZypperCaches = []string{"/var/cache/zypp"}
	leanPacmanCaches = []string{"/var/cache/pacman/pkg"}
	leanNpmCaches    = []string{"~/.npm", "~/.npm/_cacache"}
	leanYarnCaches   = []string{"/usr/local/share/.cache/yarn", "~/.cache/yarn", "~/.yarn/berry/cache", "~/.yarn-cache"}
)

func checkPackageCache(p *rule.Pass) error {
	npm := p.Settings.Bool("npm")
	yarn := p.Settings.Bool("yarn")
	for in := range fileOf(p).Runs() {
		if in.Stage.Ships {
			leanCheckPackageCache(p, in, npm, yarn)
		}
	}
	return nil
}

// leanCheckPackageCache reports the first install of a RUN that keeps its
// cache. Only a clean-up after the install counts: `yarn cache clean &&
// yarn install` empties the cache before the install fills it again.
func leanCheckPackageCache(p *rule.Pass, in *df.Instruction, npm, yarn bool) {
	for _, c := range in.Script.Commands {
		what, caches, cleaned := leanCacheUser(in, c, npm, yarn)
		if what == "" {
			continue
		}
		after := leanAfter(in, c)
		if cleaned(after) || leanDiscardsAfter(in, after, caches...) {
			continue
		}
		p.Reportf(in.Start(), "%s", what)
		return
	}
}

// leanAfter returns the commands of the RUN that run after c.
func leanAfter(in *df.Instruction, c *df.Cmd) []*df.Cmd {
	cmds := in.Script.Commands
	if i := slices.Index(cmds, c); i >= 0 {
		return cmds[i+1:]
	}
	return nil
}

// leanDiscardsAfter reports whether what lands under one of the paths stays
// out of the layer: a cache or tmpfs mount covers it, or one of the
// commands after deletes it.
func leanDiscardsAfter(in *df.Instruction, after []*df.Cmd, paths ...string) bool {
	if in.Script.Mounted(paths...) {
		return true
	}
	for _, c := range after {
		for _, t := range in.DeletedPaths(c) {
			for _, p := range paths {
				if df.PathCovers(t, p) {
					return true
				}
			}
		}
	}
	return false
}

// leanCacheUser says whether c fills a package manager cache: a message
// for the finding, the cache directories, and a test for the manager's own
// clean-up command in the RUN.
func leanCacheUser(in *df.Instruction, c *df.Cmd, npm, yarn bool) (string, []string, func([]*df.Cmd) bool) {
	if op, ok := c.Package(); ok && (op.Install || op.Upgrade) {
		switch op.Family {
		case df.FamilyRPM:
			return fmt.Sprintf("`%s %s` leaves its metadata and package cache in the layer; add `%s clean all` to the same RUN", op.Tool, op.Sub, op.Tool),
				leanRPMCaches, leanRPMCleaned
		case df.FamilyZypper:
			return fmt.Sprintf("`zypper %s` leaves its package cache in the layer; add `zypper clean --all` to the same RUN", op.Sub),
				leanZypperCaches, leanZypperCleaned
		case df.FamilyPacman:
			return fmt.Sprintf("`pacman %s` leaves the downloaded packages in /var/cache/pacman/pkg; add `pacman -Scc --noconfirm` to the same RUN", op.Sub),
				leanPacmanCaches, leanPacmanCleaned
		}
		return "", nil, nil
	}
	switch c.Name {
	case "npm":
		if !npm {
			break
		}
		sub, _ := c.Subcommand("--prefix", "-C", "--cache", "--registry", "-w", "--workspace")
		switch sub {
		case "install", "i", "ci", "add", "isntall", "in", "ins", "inst", "insta", "instal", "clean-install", "install-clean", "isnt", "isnta", "isntal", "update", "up", "upgrade":
		default:
			return "", nil, nil
		}
		caches := leanNpmCaches
		if dir, ok := c.FlagValue("--cache"); ok {
			caches = append([]string{dir}, caches...)
		} else if v, ok := in.Vars.Value("npm_config_cache"); ok {
			caches = append([]string{v}, caches...)
		} else if v, ok := in.Vars.Value("NPM_CONFIG_CACHE"); ok {
			caches = append([]string{v}, caches...)
		}
		return fmt.Sprintf("`npm %s` keeps every downloaded tarball in ~/.npm; add `npm cache clean --force` to the same RUN", sub),
			caches, leanNpmCleaned
	case "yarn":
		if !yarn {
			break
		}
		sub, i := c.YarnSubcommand("--cwd", "--cache-folder", "--modules-folder", "--registry")
		switch sub {
		case "install", "add":
		case "global":
			if rest := c.OperandsAfter(i); len(rest) == 0 || rest[0] != "add" {
				return "", nil, nil
			}
		default:
			return "", nil, nil
		}
		caches := leanYarnCaches
		if dir, ok := c.FlagValue("--cache-folder"); ok {
			caches = append([]string{dir}, caches...)
		} else if v, ok := in.Vars.Value("YARN_CACHE_FOLDER"); ok {
			caches = append([]string{v}, caches...)
		}
		return fmt.Sprintf("`yarn %s` keeps downloaded packages in the yarn cache; add `yarn cache clean` to the same RUN", sub),
			caches, leanYarnCleaned
	}
	return "", nil, nil
}

func leanRPMCleaned(after []*df.Cmd) bool {
	for _, c := range after {
		if op, ok := c.Package(); ok && op.Family == df.FamilyRPM && op.Clean {
			rest := strings.Join(op.Pkgs, " ")
			if strings.Contains(rest, "all") || strings.Contains(rest, "packages") {
				return true
			}
		}
	}
	return false
}

func leanZypperCleaned(after []*df.Cmd) bool {
	for _, c := range after {
		if op, ok := c.Package(); ok && op.Family == df.FamilyZypper && op.Clean {
			return true
		}
	}
	return false
}

func leanPacmanCleaned(after []*df.Cmd) bool {
	for _, c := range after {
		if op, ok := c.Package(); ok && op.Family == df.FamilyPacman && op.Clean {
			return true
		}
	}
	return false
}

func leanNpmCleaned(after []*df.Cmd) bool {
	for _, c := range after {
		if c.Name == "npm" {
			if sub, i := c.Subcommand(); sub == "cache" {
				if rest := c.OperandsAfter(i); len(rest) > 0 && (rest[0] == "clean" || rest[0] == "rm" || rest[0] == "clear") {
					return true
				}
			}
		}
	}
	return false
}

func leanYarnCleaned(after []*df.Cmd) bool {
	for _, c := range after {
		if c.Name == "yarn" {
			if sub, i := c.Subcommand(); sub == "cache" {
				if rest := c.OperandsAfter(i); len(rest) > 0 && rest[0] == "clean" {
					return true
				}
			}
		}
	}
	return false
}
