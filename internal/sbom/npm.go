package sbom

import (
	"encoding/json"
	"sort"
	"strings"
)

// npmManifest is the part of a package.json the cataloger reads.
type npmManifest struct {
	Name    string          `json:"name"`
	Version string          `json:"version"`
	License json.RawMessage `json:"license"`
	Private bool            `json:"private"`
}

// parsePackageJSON reads one installed package's package.json (under
// node_modules).
func parsePackageJSON(data []byte, location string) []Package {
	var m npmManifest
	if json.Unmarshal(data, &m) != nil || m.Name == "" || m.Version == "" {
		return nil
	}
	return []Package{{Name: m.Name, Version: m.Version, Ecosystem: EcoNPM, Licenses: npmLicense(m.License), Cataloger: "npm", Location: location}}
}

func npmLicense(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	var o struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &o) == nil && o.Type != "" {
		return []string{o.Type}
	}
	return nil
}

// npmLock is package-lock.json (lockfileVersion 1, 2 and 3).
type npmLock struct {
	Name            string `json:"name"`
	Version         string `json:"version"`
	LockfileVersion int    `json:"lockfileVersion"`
	Packages        map[string]struct {
		Name    string          `json:"name"`
		Version string          `json:"version"`
		License json.RawMessage `json:"license"`
		Link    bool            `json:"link"`
		Dev     bool            `json:"dev"`
	} `json:"packages"`
	Dependencies map[string]npmLockDep `json:"dependencies"`
}

type npmLockDep struct {
	Version      string                `json:"version"`
	Dependencies map[string]npmLockDep `json:"dependencies"`
}

// parsePackageLock reads the application a package-lock.json belongs to
// and the packages it pins: the "packages" map of lockfile v2/v3 (keys are
// node_modules paths, the root project is ""), else v1's top-level name
// and version and its nested "dependencies". The application itself is a
// component of the image like its dependencies (it is what they were
// installed for, and the name advisories would name).
func parsePackageLock(data []byte, location string) []Package {
	var l npmLock
	if json.Unmarshal(data, &l) != nil {
		return nil
	}
	var out []Package
	root := Package{Name: l.Name, Version: l.Version, Ecosystem: EcoNPM, Cataloger: "npm", Location: location}
	if r, ok := l.Packages[""]; ok {
		if r.Name != "" {
			root.Name = r.Name
		}
		if r.Version != "" {
			root.Version = r.Version
		}
		root.Licenses = npmLicense(r.License)
	}
	if root.Name != "" && root.Version != "" {
		out = append(out, root)
	}
	if len(l.Packages) > 0 {
		for key, p := range l.Packages {
			if key == "" || p.Link || p.Version == "" {
				continue
			}
			name := p.Name
			if name == "" {
				i := strings.LastIndex(key, "node_modules/")
				if i < 0 {
					continue
				}
				name = key[i+len("node_modules/"):]
			}
			out = append(out, Package{Name: name, Version: p.Version, Ecosystem: EcoNPM, Licenses: npmLicense(p.License), Cataloger: "npm", Location: location})
		}
	} else {
		var walk func(map[string]npmLockDep)
		walk = func(deps map[string]npmLockDep) {
			for name, d := range deps {
				if d.Version != "" && !strings.Contains(d.Version, ":") {
					out = append(out, Package{Name: name, Version: d.Version, Ecosystem: EcoNPM, Cataloger: "npm", Location: location})
				}
				walk(d.Dependencies)
			}
		}
		walk(l.Dependencies)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+"@"+out[i].Version < out[j].Name+"@"+out[j].Version })
	return out
}
