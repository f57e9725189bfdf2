package sbom

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pnpmLock is the part of a pnpm-lock.yaml read here.
type pnpmLock struct {
	// LockfileVersion is a number in 5.x files (5.3, 5.4) and a string
	// from 6.0 on ('6.0', '9.0').
	LockfileVersion yaml.Node                  `yaml:"lockfileVersion"`
	Packages        map[string]pnpmPackageInfo `yaml:"packages"`
}

type pnpmPackageInfo struct {
	// Name and Version are written for packages not from the registry
	// (git, tarballs), whose key is not "name@version".
	Name       string         `yaml:"name"`
	Version    string         `yaml:"version"`
	Resolution map[string]any `yaml:"resolution"`
}

// parsePnpmLock lists the application a pnpm-lock.yaml belongs to (from
// the package.json beside it, nil when there is none) and every package of
// its packages section. Keys name the package and its version in three
// spellings: "/name/version" in lockfile 5.x, "/name@version" in 6.x and
// "name@version" in 9.0, scoped names included ("/@babel/core/7.20.12").
// A package resolved with different peers is keyed once per peer set,
// with the peers appended to the version ("_react@18.2.0" in 5.x,
// "(react@18.2.0)" from 6.0 on); that suffix is not part of the version.
// 9.0 keeps peer variants in "snapshots", so its packages are unique.
// Directory packages (file:, link:) are the project's own code and are
// left out.
func parsePnpmLock(data, pkgJSON []byte, location string) ([]Package, error) {
	// pnpm 10 can write two YAML documents: the "env" lockfile of its
	// configuration dependencies and package manager, then the project's.
	// Every document's packages are read; one without a lockfileVersion
	// is in the version of the one before.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	out := lockApplication(pkgJSON, "pnpm", location)
	seen := map[string]bool{}
	major, docs := 0, 0
	for {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("pnpm lockfile: %w", err)
		}
		if len(node.Content) == 0 || node.Content[0].Tag == "!!null" {
			// An empty document (a leading "---").
			continue
		}
		var l pnpmLock
		if err := node.Decode(&l); err != nil {
			return nil, fmt.Errorf("pnpm lockfile: %w", err)
		}
		docs++
		switch {
		case l.LockfileVersion.Kind == yaml.ScalarNode:
			if major, err = pnpmMajor(l.LockfileVersion.Value); err != nil {
				return nil, err
			}
		case major == 0:
			return nil, fmt.Errorf("pnpm lockfile without lockfileVersion")
		}
		for _, p := range pnpmPackages(l.Packages, major, location) {
			if k := p.Name + "@" + p.Version; !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	if docs == 0 {
		return nil, fmt.Errorf("pnpm lockfile without lockfileVersion")
	}
	sortNPM(out)
	return out, nil
}

// pnpmPackages lists the packages of one document's packages section.
func pnpmPackages(pkgs map[string]pnpmPackageInfo, major int, location string) []Package {
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Package
	for _, k := range keys {
		info := pkgs[k]
		if info.Resolution["type"] == "directory" {
			continue
		}
		name, version, ok := pnpmKey(k, major)
		if ok && isLocalRef(version) {
			continue
		}
		if info.Name != "" && info.Version != "" {
			name, version, ok = info.Name, info.Version, true
		} else if ok && info.Version != "" && !plainVersion(version) {
			// 9.0 keys a git or tarball package by its URL, with
			// the version beside.
			version = info.Version
		}
		if !ok || !plainVersion(version) {
			continue
		}
		out = append(out, Package{Name: name, Version: version, Ecosystem: EcoNPM, Cataloger: "pnpm", Location: location})
	}
	return out
}

// pnpmMajor reads the major version of a lockfileVersion ("5.4", "6.0",
// "9.0"); pnpm wrote 5.x before 2022, and 3 and 4 only in its early days.
func pnpmMajor(v string) (int, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 5 || f >= 10 {
		return 0, fmt.Errorf("pnpm lockfileVersion %q not supported (5.x, 6.x, 9.0 are)", v)
	}
	return int(f), nil
}

// pnpmKey reads a packages key as the lockfile's major version spells it.
func pnpmKey(key string, major int) (name, version string, ok bool) {
	if major < 6 {
		// "/name/version[_peers]": the version is the component after
		// the name (one component, two for a scope). Peers in the suffix
		// have their own slashes written as "+".
		rest, isReg := strings.CutPrefix(key, "/")
		if !isReg {
			return "", "", false
		}
		parts := strings.SplitN(rest, "/", 3)
		switch {
		case strings.HasPrefix(rest, "@") && len(parts) == 3:
			name, version = parts[0]+"/"+parts[1], parts[2]
		case !strings.HasPrefix(rest, "@") && len(parts) >= 2:
			name, version = parts[0], strings.Join(parts[1:], "/")
		default:
			return "", "", false
		}
		version, _, _ = strings.Cut(version, "_")
		return name, version, name != "" && version != ""
	}
	// "/name@version(peers)" (6.x), "name@version(peers)" (9.0).
	key = strings.TrimPrefix(key, "/")
	if i := strings.IndexByte(key, '('); i >= 0 {
		key = key[:i]
	}
	name, version, ok = splitSpec(key)
	if !ok {
		return "", "", false
	}
	// 6.0 could still write a 5.x style "_peer" suffix for old entries.
	version, _, _ = strings.Cut(version, "_")
	return name, version, version != ""
}

// plainVersion says whether v looks like a published version rather than
// a URL or a path (git, tarball and directory packages).
func plainVersion(v string) bool {
	return v != "" && !strings.ContainsAny(v, ":/")
}
