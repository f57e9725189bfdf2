package sbom

import (
	"bufio"
	"bytes"
	"path"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// A Go source project is a go.mod (and its go.sum) without a binary built
// from it: its modules are what `go build` would use.
var (
	goModFile = Pattern{Globs: []string{"/**/go.mod", "/**/go.sum"},
		// Dependencies' own go.mod files (the module cache, vendor
		// directories), test fixtures and the Go toolchain's std and cmd
		// modules are not projects of the image.
		Except: []string{"/**/pkg/mod/**", "/**/vendor/**", "/**/testdata/**", "/usr/lib/go-*/**", "/usr/share/go-*/**",
			"/usr/local/go/**", "/usr/lib/go/**"},
		MaxSize: maxManifestSize}
	// goToolchainVersion is a Go toolchain's VERSION file: Debian's
	// golang-1.19-go puts one in /usr/lib/go-1.19, the official archive in
	// /usr/local/go.
	goToolchainVersion = Pattern{Globs: []string{"/usr/lib/go-*/VERSION", "/usr/lib/go/VERSION", "/usr/local/go/VERSION"}, MaxSize: 4 << 10}
)

// parseGoMod lists a Go source project's modules: the main module (no
// version: it is the source itself, as Syft and the go command call it
// "(devel)" when built) and every requirement of go.mod with its version,
// after the file's replace and exclude directives. Go 1.17 and later
// write every module the build needs into go.mod (pruned module graphs);
// for an older go.mod, which may leave indirect requirements out, the
// modules go.sum holds a full checksum for (not only a go.mod one) are
// added at their highest version, so that the list is complete.
func parseGoMod(data, sum []byte, location string) []Package {
	f, err := modfile.Parse(location, data, nil)
	if err != nil || f.Module == nil {
		return nil
	}
	mk := func(p, v string) Package {
		return Package{Name: p, Version: v, Ecosystem: EcoGo, Cataloger: "go-module", Location: location}
	}
	out := []Package{mk(f.Module.Mod.Path, "")}
	excluded := map[[2]string]bool{}
	for _, x := range f.Exclude {
		excluded[[2]string{x.Mod.Path, x.Mod.Version}] = true
	}
	seen := map[string]bool{f.Module.Mod.Path: true}
	for _, r := range f.Require {
		m := r.Mod
		if excluded[[2]string{m.Path, m.Version}] {
			continue
		}
		for _, rep := range f.Replace {
			if rep.Old.Path == m.Path && (rep.Old.Version == "" || rep.Old.Version == m.Version) {
				m = rep.New
				break
			}
		}
		if m.Version == "" || seen[m.Path] {
			// A replacement by a local directory has no version to match.
			continue
		}
		seen[m.Path] = true
		out = append(out, mk(m.Path, m.Version))
	}
	if f.Go == nil || semver.Compare("v"+f.Go.Version, "v1.17") < 0 {
		extra := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(sum))
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) != 3 || strings.HasSuffix(fs[1], "/go.mod") || seen[fs[0]] || excluded[[2]string{fs[0], fs[1]}] {
				continue
			}
			if old, ok := extra[fs[0]]; !ok || semver.Compare(fs[1], old) > 0 {
				extra[fs[0]] = fs[1]
			}
		}
		paths := make([]string, 0, len(extra))
		for p := range extra {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			out = append(out, mk(p, extra[p]))
		}
	}
	return out
}

// parseGoToolchain reports a Go toolchain's standard library from its
// VERSION file ("go1.19.8", then optional lines), so that the Go
// vulnerability database's stdlib advisories match the toolchain Debian's
// golang-1.19 package installs, as they match a Go binary built with it.
func parseGoToolchain(data []byte, location string) []Package {
	first, _, _ := strings.Cut(string(data), "\n")
	v := goVersion(strings.TrimSpace(first))
	if v == "" || !semver.IsValid(v) {
		return nil
	}
	return []Package{{Name: "stdlib", Version: v, Ecosystem: EcoGo, Cataloger: "go-toolchain", Location: location}}
}

// goSumBeside is the go.sum in the directory of a go.mod.
func goSumBeside(goMod string) string { return path.Join(path.Dir(goMod), "go.sum") }
