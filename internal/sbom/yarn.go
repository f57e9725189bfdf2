package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// localProtocols are the yarn and pnpm specifier protocols that point at
// the project's own code (its workspaces, directories, links, scripts)
// rather than at a published package: they are not dependencies of the
// application, and their name is not one any advisory could name.
var localProtocols = []string{"workspace:", "link:", "portal:", "file:", "exec:"}

func isLocalRef(ref string) bool {
	for _, p := range localProtocols {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	return false
}

// splitSpec splits a package descriptor "name@range" (or a locator
// "name@version") at the "@" that ends the name, which is not the leading
// one of a scope: "@babel/core@^7.0.0" is "@babel/core" and "^7.0.0".
func splitSpec(s string) (name, ref string, ok bool) {
	i := strings.IndexByte(s[min(1, len(s)):], '@')
	if i < 0 {
		return "", "", false
	}
	i++
	if s[:i] == "" || s[:i] == "@" {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// npmProject is the part of a project's package.json the lockfile
// catalogers read: the application's identity.
type npmProject struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// lockApplication is the application a yarn.lock or pnpm-lock.yaml
// belongs to, from the package.json beside it, located at the lockfile
// like package-lock.json's root package; nothing when there is no
// package.json or it names no version (a private project often has none).
func lockApplication(pkgJSON []byte, cataloger, location string) []Package {
	var m npmProject
	if pkgJSON == nil || json.Unmarshal(pkgJSON, &m) != nil || m.Name == "" || m.Version == "" {
		return nil
	}
	return []Package{{Name: m.Name, Version: m.Version, Ecosystem: EcoNPM, Cataloger: cataloger, Location: location}}
}

// sortNPM orders a lockfile's packages by name and version, as
// parsePackageLock does.
func sortNPM(out []Package) {
	sort.Slice(out, func(i, j int) bool { return out[i].Name+"@"+out[i].Version < out[j].Name+"@"+out[j].Version })
}

// parseYarnLock lists the application a yarn.lock belongs to (from the
// package.json beside it, nil when there is none) and every package the
// lockfile pins, in yarn classic's own format (v1) or Berry's YAML (yarn
// 2 and later, recognised by its __metadata entry). Workspaces, links,
// portals and file: directories are the project's own code and are left
// out. An error says why the file could not be read as either format.
func parseYarnLock(data, pkgJSON []byte, location string) ([]Package, error) {
	var entries []yarnEntry
	var err error
	if isYarnBerry(data) {
		entries, err = parseYarnBerry(data)
	} else {
		entries, err = parseYarnV1(data)
	}
	if err != nil {
		return nil, err
	}
	out := lockApplication(pkgJSON, "yarn", location)
	// An alias and a plain range can resolve to the same package
	// (string-width@^4.2.0 and string-width-cjs@npm:string-width@^4.2.0),
	// a patch to the package it patches: each is listed once.
	seen := map[yarnEntry]bool{}
	for _, e := range entries {
		if seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, Package{Name: e.name, Version: e.version, Ecosystem: EcoNPM, Cataloger: "yarn", Location: location})
	}
	sortNPM(out)
	return out, nil
}

// yarnEntry is one locked package.
type yarnEntry struct{ name, version string }

// isYarnBerry says whether a yarn.lock is Berry's YAML: it always starts
// its entries with a top-level __metadata key, which yarn classic never
// writes.
func isYarnBerry(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "__metadata:") || strings.HasPrefix(line, `"__metadata":`) {
			return true
		}
	}
	return false
}

// parseYarnV1 reads yarn classic's lockfile. An entry is a line at the
// left margin naming one or more descriptors separated by ", " (each
// quoted when it holds characters outside a bare name) and ending in ":",
// followed by fields indented by two spaces ("version", "resolved",
// "integrity", and "name" for an alias, each a key, a space and a value,
// quoted or not) and maps of fields ("dependencies:") whose items are
// indented by four. The name is the descriptor's, or for an alias
// ("alias@npm:real@^1") the real package's, since that is what was
// installed.
func parseYarnV1(data []byte) ([]yarnEntry, error) {
	var out []yarnEntry
	var cur *yarnEntry
	var curLine int
	skip := false
	finish := func() error {
		if cur == nil {
			return nil
		}
		if cur.version == "" {
			return fmt.Errorf("line %d: entry %s has no version", curLine, cur.name)
		}
		if !skip {
			out = append(out, *cur)
		}
		cur = nil
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(strings.TrimLeft(line, " "), "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 0:
			if err := finish(); err != nil {
				return nil, err
			}
			if !strings.HasSuffix(line, ":") {
				return nil, fmt.Errorf("line %d: an entry's descriptors must end in ':'", n)
			}
			name, local, err := yarnV1Descriptors(strings.TrimSuffix(line, ":"))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			cur, curLine, skip = &yarnEntry{name: name}, n, local
		case cur == nil:
			return nil, fmt.Errorf("line %d: indented line outside an entry", n)
		case indent == 2:
			key, value, _ := strings.Cut(strings.TrimSpace(line), " ")
			if key != "version" && key != "name" {
				continue
			}
			v, err := yarnV1Value(value)
			if err != nil {
				return nil, fmt.Errorf("line %d: %s: %w", n, key, err)
			}
			if key == "version" {
				cur.version = v
			} else if v != "" {
				// yarn writes the real name of an alias's package.
				cur.name = v
			}
		}
		// Deeper lines are items of a field map (dependencies,
		// optionalDependencies): the packages they name have entries
		// of their own.
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(out) == 0 && !bytes.Contains(data, []byte("yarn lockfile v1")) {
		return nil, fmt.Errorf("neither a yarn classic nor a yarn Berry lockfile")
	}
	return out, nil
}

// yarnV1Value reads a field's value: a JSON-quoted string or a bare word.
func yarnV1Value(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, `"`) {
		return strconv.Unquote(s)
	}
	return s, nil
}

// yarnV1Descriptors reads an entry's descriptor list and returns the
// package's name, and whether the entry is the project's own code (every
// descriptor's range uses a local protocol).
func yarnV1Descriptors(line string) (name string, local bool, err error) {
	local = true
	for _, d := range splitDescriptors(line) {
		if strings.HasPrefix(d, `"`) {
			u, err := strconv.Unquote(d)
			if err != nil {
				return "", false, fmt.Errorf("descriptor %s: %w", d, err)
			}
			d = u
		}
		n, ref, ok := splitSpec(d)
		if !ok {
			return "", false, fmt.Errorf("descriptor %q has no name@range form", d)
		}
		if real, ok := strings.CutPrefix(ref, "npm:"); ok {
			// An alias installs the real package; a bare "npm:^1"
			// names the same package as the descriptor.
			if rn, _, ok := splitSpec(real); ok {
				n = rn
			}
		}
		if name == "" {
			name = n
		}
		if !isLocalRef(ref) {
			local = false
		}
	}
	if name == "" {
		return "", false, fmt.Errorf("no descriptor")
	}
	return name, local, nil
}

// splitDescriptors splits "a@^1, \"b@^2\"" at the separators outside
// quotes.
func splitDescriptors(s string) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if last := strings.TrimSpace(s[start:]); last != "" {
		out = append(out, last)
	}
	return out
}

// yarnBerryEntry is the part of a Berry lockfile entry read here.
type yarnBerryEntry struct {
	Version    string `yaml:"version"`
	Resolution string `yaml:"resolution"`
}

// parseYarnBerry reads Berry's lockfile, YAML whose keys are descriptor
// lists and whose entries say what they resolved to ("resolution:
// name@npm:1.2.3"). The resolution names the package (an alias's entry
// resolves to the real one); a patched package (patch: protocol) is the
// package it patches, at its version, listed once with it.
func parseYarnBerry(data []byte) ([]yarnEntry, error) {
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("yarn Berry lockfile: %w", err)
	}
	if _, ok := doc["__metadata"]; !ok {
		return nil, fmt.Errorf("yarn Berry lockfile without __metadata")
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []yarnEntry
	for _, k := range keys {
		if k == "__metadata" {
			continue
		}
		node := doc[k]
		var e yarnBerryEntry
		if err := node.Decode(&e); err != nil {
			return nil, fmt.Errorf("line %d: entry %s: %w", node.Line, k, err)
		}
		if e.Resolution == "" || e.Version == "" {
			return nil, fmt.Errorf("line %d: entry %s has no resolution or version", node.Line, k)
		}
		name, ref, ok := splitSpec(e.Resolution)
		if !ok {
			return nil, fmt.Errorf("line %d: resolution %q has no name@reference form", node.Line, e.Resolution)
		}
		if isLocalRef(ref) {
			continue
		}
		out = append(out, yarnEntry{name: name, version: e.Version})
	}
	return out, nil
}
