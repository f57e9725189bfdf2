package sbom

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// Note texts, fixed so that callers and tests can recognise them.
const (
	NoteNoOSDatabase = "no OS package database found (dpkg, apk, rpm): OS packages are not listed"
	NoteNoPackages   = "no package database or package manifest found: the SBOM is empty"
)

// FromImage catalogues a scanned image (or root filesystem or project
// directory, read as an image of one layer): the OS package databases and
// dpkg file lists among its captured files, the language manifests it
// captured, and the packages the content scanner recorded in files still
// present. It needs a scan run with ScanOptions. Files owned by an OS
// package are not reported again by a language cataloger, except a Go
// toolchain's VERSION, the standard library's identity.
func FromImage(img *image.Image) *SBOM {
	s := &SBOM{Subject: img.Ref, Digest: img.Digest, Source: img.Source, Created: img.Config.Created}
	if d, ok := img.Distro(); ok {
		s.Distro = &d
	}
	c := &cataloguer{img: img, sbom: s}
	osPkgs := c.osPackages()
	owned := map[string]bool{}
	for _, p := range osPkgs {
		for _, f := range p.Files {
			owned[f] = true
			// Package databases name paths as packaged; merged-/usr
			// images reach "/lib/x" through the "/lib" link at
			// "/usr/lib/x", where the language catalogers find it.
			if rp, err := img.ResolvePath(f); err == nil && rp != f {
				owned[rp] = true
			}
		}
	}
	lang := c.languagePackages()
	var kept []Package
	for _, p := range lang {
		// A toolchain's standard library is the exception: Debian's
		// golang-1.19-go owns /usr/lib/go-1.19/VERSION, but Debian's
		// advisories for golang-1.19 are not the Go vulnerability
		// database's stdlib advisories, which need the stdlib identity
		// to match (as they match any Go binary's).
		if ownedBy(owned, p.Location) && p.Cataloger != "go-toolchain" {
			continue
		}
		kept = append(kept, p)
	}
	all := append(osPkgs, kept...)
	for i := range all {
		p := &all[i]
		if p.Ecosystem == "" {
			p.Ecosystem = c.osEcosystem(p.Cataloger)
		}
		p.PURL = PURL(*p, s.Distro)
		p.Layer, p.LayerDigest = c.layerOf(p)
		p.Files = c.dropDirs(p.Files)
		sort.Strings(p.Files)
	}
	s.Packages = dedupe(all)
	SortPackages(s.Packages)
	if len(osPkgs) == 0 && (len(s.Packages) == 0 || img.Source != "dir") {
		s.Notes = append(s.Notes, NoteNoOSDatabase)
	}
	if len(s.Packages) == 0 {
		s.Notes = append(s.Notes, NoteNoPackages)
	}
	return s
}

// ownedBy says whether loc (a file, or a file inside an archive) or one of
// the directories holding it is listed by an OS package: a dist-info
// directory in a dpkg list owns its METADATA.
func ownedBy(owned map[string]bool, loc string) bool {
	loc, _, _ = strings.Cut(loc, "!/")
	if owned[loc] {
		return true
	}
	// The metadata directory itself (urllib3-1.26.12.dist-info) counts.
	if dir := path.Dir(loc); strings.HasSuffix(dir, ".dist-info") || strings.HasSuffix(dir, ".egg-info") {
		return owned[dir]
	}
	return false
}

type cataloguer struct {
	img  *image.Image
	sbom *SBOM
}

func (c *cataloguer) note(format string, args ...any) {
	c.sbom.Notes = append(c.sbom.Notes, fmt.Sprintf(format, args...))
}

func (c *cataloguer) osEcosystem(cataloger string) string {
	id := ""
	if c.sbom.Distro != nil {
		id = c.sbom.Distro.ID
	}
	switch cataloger {
	case "dpkg":
		if id == "ubuntu" {
			return EcoUbuntu
		}
		return EcoDebian
	case "apk":
		return EcoAlpine
	case "rpm":
		return EcoRPM
	}
	return ""
}

func (c *cataloguer) sortedCaptured() []string {
	keys := make([]string, 0, len(c.img.Captured))
	for k := range c.img.Captured {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// osPackages reads dpkg (status and status.d), apk and rpm databases.
func (c *cataloguer) osPackages() []Package {
	var out []Package
	if data, ok := c.img.ReadCaptured(dpkgStatus); ok {
		out = append(out, parseDpkg(data, dpkgStatus)...)
	}
	for _, p := range c.sortedCaptured() {
		if rest, ok := strings.CutPrefix(p, dpkgStatusDir); ok && !strings.Contains(rest, "/") && !strings.HasSuffix(rest, ".md5sums") {
			out = append(out, parseDpkg(c.img.Captured[p], p)...)
		}
	}
	if len(out) > 0 {
		lists := map[string][]string{}
		for _, p := range c.sortedCaptured() {
			if rest, ok := strings.CutPrefix(p, dpkgInfoDir); ok && strings.HasSuffix(rest, ".list") {
				lists[dpkgListName(rest)] = append(lists[dpkgListName(rest)], parseLines(c.img.Captured[p])...)
			}
		}
		for i := range out {
			out[i].Files = lists[out[i].Name]
		}
	}
	for _, p := range apkInstalled {
		if data, ok := c.img.ReadCaptured(p); ok {
			out = append(out, parseApk(data, p)...)
			break
		}
	}
	for _, p := range rpmDatabases {
		if data, ok := c.img.ReadCaptured(p); ok {
			pkgs, err := parseRPM(data, p)
			if err != nil {
				c.note("rpm database %s not read: %v", p, err)
				continue
			}
			out = append(out, pkgs...)
			break
		}
	}
	return out
}

// languagePackages reads the captured manifests and the scanner's
// records of files still in the final view.
func (c *cataloguer) languagePackages() []Package {
	var out []Package
	for _, p := range c.sortedCaptured() {
		data := c.img.Captured[p]
		switch {
		case npmInstalled.selects(p):
			out = append(out, parsePackageJSON(data, p)...)
		case npmLockfile.selects(p):
			out = append(out, parsePackageLock(data, p)...)
		case yarnLockfile.selects(p):
			pkgs, err := parseYarnLock(data, c.img.Captured[path.Join(path.Dir(p), "package.json")], p)
			if err != nil {
				c.note("yarn lockfile %s not read: %v", p, err)
			}
			out = append(out, pkgs...)
		case pnpmLockfile.selects(p):
			pkgs, err := parsePnpmLock(data, c.img.Captured[path.Join(path.Dir(p), "package.json")], p)
			if err != nil {
				c.note("pnpm lockfile %s not read: %v", p, err)
			}
			out = append(out, pkgs...)
		case pythonMeta.selects(p):
			out = append(out, parsePythonMetadata(data, p)...)
		case goModFile.selects(p) && path.Base(p) == "go.mod":
			out = append(out, parseGoMod(data, c.img.Captured[goSumBeside(p)], p)...)
		case goToolchainVersion.selects(p):
			out = append(out, parseGoToolchain(data, p)...)
		}
	}
	for _, r := range c.img.Records {
		if r.Kind != RecordKind || r.Deleted {
			continue
		}
		var pkgs []Package
		if json.Unmarshal(r.Data, &pkgs) == nil {
			out = append(out, pkgs...)
		}
	}
	return out
}

// layerOf says which layer introduced p: for a dpkg package the layer of
// its file list, for an apk package the earliest layer among its files
// still present, else the layer of the file it was read from. A directory
// has no layers (-1).
func (c *cataloguer) layerOf(p *Package) (int, string) {
	if c.img.Source == "dir" {
		return -1, ""
	}
	layer := -1
	at := func(f string) int {
		if fi, ok := c.img.File(f); ok {
			return fi.Layer
		}
		return -1
	}
	switch p.Cataloger {
	case "dpkg":
		if p.Location == dpkgStatus {
			for _, suffix := range []string{".list", ":" + p.Arch + ".list"} {
				if l := at(dpkgInfoDir + p.Name + suffix); l >= 0 {
					layer = l
					break
				}
			}
		}
	case "apk":
		for _, f := range p.Files {
			if l := at(f); l >= 0 && (layer < 0 || l < layer) {
				layer = l
			}
		}
	}
	if layer < 0 {
		loc, _, _ := strings.Cut(p.Location, "!/")
		layer = at(loc)
	}
	if layer < 0 || layer >= len(c.img.Layers) {
		return -1, ""
	}
	return layer, c.img.Layers[layer].Digest
}

// dropDirs removes the directories a package database lists beside its
// files ("/usr", "/usr/share/doc"): they are shared by many packages and
// only bloat the SBOM. Ownership was settled before, with them.
func (c *cataloguer) dropDirs(files []string) []string {
	out := files[:0:0]
	for _, f := range files {
		if fi, ok := c.img.File(f); ok && fi.Mode.IsDir() {
			continue
		}
		out = append(out, f)
	}
	return out
}

// dedupe drops repeated packages: the same package URL at the same
// location, and a lockfile's entry when an installed copy of the same
// package was found.
func dedupe(pkgs []Package) []Package {
	installed := map[string]bool{}
	for _, p := range pkgs {
		if !isNPMLockfile(p.Location) {
			installed[p.PURL] = true
		}
	}
	seen := map[string]bool{}
	out := pkgs[:0]
	for _, p := range pkgs {
		if isNPMLockfile(p.Location) && installed[p.PURL] {
			continue
		}
		k := p.PURL + "\x00" + p.Name + "\x00" + p.Version + "\x00" + p.Location
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}

// isNPMLockfile says whether loc is one of the lockfiles of the node
// package managers (npm, yarn, pnpm), which pin what an install would
// put in node_modules.
func isNPMLockfile(loc string) bool {
	switch path.Base(loc) {
	case "package-lock.json", "yarn.lock", "pnpm-lock.yaml":
		return true
	}
	return false
}

// SortPackages orders packages by ecosystem, name, version and location.
func SortPackages(pkgs []Package) {
	less := func(a, b *Package) bool {
		if a.Ecosystem != b.Ecosystem {
			return a.Ecosystem < b.Ecosystem
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		if a.Arch != b.Arch {
			return a.Arch < b.Arch
		}
		return a.Location < b.Location
	}
	// Documents shipshape wrote come back already in this order (the
	// fleet server decodes one per upload): one pass proves it, and the
	// stable sort, which moves whole packages, is skipped.
	sorted := true
	for i := 1; i < len(pkgs); i++ {
		if less(&pkgs[i], &pkgs[i-1]) {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	// A Package is large: the sort orders indices, and each package is
	// then moved once.
	order := make([]int32, len(pkgs))
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(i, j int) bool { return less(&pkgs[order[i]], &pkgs[order[j]]) })
	moved := make([]Package, len(pkgs))
	for i, o := range order {
		moved[i] = pkgs[o]
	}
	copy(pkgs, moved)
}
