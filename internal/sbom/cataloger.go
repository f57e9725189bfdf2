package sbom

import (
	"archive/tar"
	"path"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
	"github.com/shipshape-sec/shipshape/internal/distro"
	"github.com/shipshape-sec/shipshape/internal/image"
)

// Cataloger is one source of packages, declared as a value: its name, the
// files it needs captured whole or read by the content scanner as they
// stream by, and a version. ScanOptions builds the image pass from these
// declarations and CacheKey derives the layer cache key from them, so that
// changing a pattern, a size limit or a version invalidates the layers
// cached under the old key without anyone remembering to bump a string.
type Cataloger struct {
	// Name is what Package.Cataloger says of the packages it finds ("os"
	// finds the distribution, the SBOM's operating-system component).
	Name string
	// Version changes whenever what a layer's scan keeps for the cataloger
	// changes while its patterns do not: the records its content scanner
	// writes. Captured files are kept raw and parsed after the pass, so a
	// change to their parser needs no new version.
	Version int
	// Capture are the files whose content the pass keeps for it.
	Capture []Pattern
	// Scan selects the files the content scanner reads for it.
	Scan Scan
}

// Pattern selects files by clean absolute path and size.
type Pattern struct {
	// Globs match a path component by component as path.Match does; a
	// "**" component matches any number of components, none included.
	Globs []string
	// Except are globs of paths left out although Globs match them.
	Except []string
	// MaxSize bounds one file.
	MaxSize int64
}

// Scan selects the files a content scanner reads, whole.
type Scan struct {
	// Executable selects files with an execute bit.
	Executable bool
	// Extensions selects files by name extension, compared in lower case
	// (".jar").
	Extensions []string
	// MinSize and MaxSize bound the size of a file read.
	MinSize, MaxSize int64
}

// Where the OS package databases and dpkg's file lists live.
const (
	dpkgStatus    = "/var/lib/dpkg/status"
	dpkgStatusDir = "/var/lib/dpkg/status.d/"
	dpkgInfoDir   = "/var/lib/dpkg/info/"
)

var (
	apkInstalled = []string{"/lib/apk/db/installed", "/usr/lib/apk/db/installed"}
	// rpmDatabases in order of preference: the newest format first, as
	// an upgraded system can keep a stale older database beside it.
	rpmDatabases = []string{
		"/usr/lib/sysimage/rpm/rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite",
		"/usr/lib/sysimage/rpm/Packages.db", "/var/lib/rpm/Packages.db",
		"/usr/lib/sysimage/rpm/Packages", "/var/lib/rpm/Packages",
	}
)

// The language manifests, by what they are: an installed npm package's
// package.json (node_modules/NAME or node_modules/@SCOPE/NAME), a
// project's package-lock.json (not one inside node_modules), and Python
// metadata (a wheel's METADATA, an egg-info directory's PKG-INFO, or an
// egg-info file directly in site-packages or dist-packages).
var (
	npmInstalled = Pattern{Globs: []string{"/**/node_modules/*/package.json", "/**/node_modules/@*/*/package.json"}, MaxSize: maxManifestSize}
	npmLockfile  = Pattern{Globs: []string{"/**/package-lock.json"}, Except: []string{"/**/node_modules/**"}, MaxSize: maxManifestSize}
	// A yarn.lock or pnpm-lock.yaml names no application, so the
	// package.json of every project (not an installed package's) is kept
	// too, for the one beside a lockfile.
	npmProjectManifest = Pattern{Globs: []string{"/**/package.json"}, Except: []string{"/**/node_modules/**"}, MaxSize: maxManifestSize}
	yarnLockfile       = Pattern{Globs: []string{"/**/yarn.lock"}, Except: []string{"/**/node_modules/**"}, MaxSize: maxManifestSize}
	pnpmLockfile       = Pattern{Globs: []string{"/**/pnpm-lock.yaml"}, Except: []string{"/**/node_modules/**"}, MaxSize: maxManifestSize}
	pythonMeta         = Pattern{Globs: []string{"/**/*.dist-info/METADATA", "/**/*.egg-info/PKG-INFO",
		"/**/site-packages/*.egg-info", "/**/dist-packages/*.egg-info"}, MaxSize: maxManifestSize}
)

// javaExtensions name Java archives (jar, war, ear, Jenkins plugins).
var javaExtensions = []string{".jar", ".war", ".ear", ".jpi", ".hpi"}

// Catalogers returns every cataloger's declaration, in the order the
// SBOM's packages are read.
func Catalogers() []Cataloger {
	return []Cataloger{
		{Name: "os", Version: 1, Capture: []Pattern{{Globs: distro.Files(), MaxSize: image.DefaultCaptureMaxSize}}},
		{Name: "dpkg", Version: 1, Capture: []Pattern{
			{Globs: []string{dpkgStatus, dpkgStatusDir + "*"}, MaxSize: image.DefaultCaptureMaxSize},
			{Globs: []string{dpkgInfoDir + "*.list"}, MaxSize: maxManifestSize},
		}},
		{Name: "apk", Version: 1, Capture: []Pattern{{Globs: apkInstalled, MaxSize: image.DefaultCaptureMaxSize}}},
		{Name: "rpm", Version: 1, Capture: []Pattern{{Globs: rpmDatabases, MaxSize: image.DefaultCaptureMaxSize}}},
		{Name: "go-binary", Version: 1, Scan: Scan{Executable: true, MinSize: 64, MaxSize: MaxBinarySize}},
		{Name: "java", Version: 1, Scan: Scan{Extensions: javaExtensions, MinSize: 64, MaxSize: MaxBinarySize}},
		{Name: "go-module", Version: 1, Capture: []Pattern{goModFile}},
		{Name: "go-toolchain", Version: 1, Capture: []Pattern{goToolchainVersion}},
		{Name: "npm", Version: 1, Capture: []Pattern{npmInstalled, npmLockfile}},
		{Name: "yarn", Version: 1, Capture: []Pattern{yarnLockfile, npmProjectManifest}},
		{Name: "pnpm", Version: 1, Capture: []Pattern{pnpmLockfile, npmProjectManifest}},
		{Name: "python", Version: 1, Capture: []Pattern{pythonMeta}},
	}
}

// CacheKey is the catalogers' part of the layer cache key, derived from
// every declaration of Catalogers and the kind of the records they write.
func CacheKey() string { return cacheKeyOf(Catalogers()) }

func cacheKeyOf(cs []Cataloger) string {
	return cachekey.Of("sbom", struct {
		RecordKind string
		Catalogers []Cataloger
	}{RecordKind, cs})
}

// Match says whether the file name of the given size is selected.
func (p Pattern) Match(name string, size int64) bool {
	return size <= p.MaxSize && p.selects(name)
}

// selects says whether the path is selected, whatever its size.
func (p Pattern) selects(name string) bool {
	return matchAny(p.Globs, name) && !matchAny(p.Except, name)
}

// Wants says whether the content scanner reads the file h names.
func (s Scan) Wants(h *tar.Header) bool {
	if h.Size < s.MinSize || h.Size > s.MaxSize {
		return false
	}
	if s.Executable && h.Mode&0o111 != 0 {
		return true
	}
	return hasExtension(s.Extensions, h.Name)
}

func hasExtension(exts []string, name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return true
		}
	}
	return false
}

func matchAny(globs []string, name string) bool {
	for _, g := range globs {
		if matchGlob(g, name) {
			return true
		}
	}
	return false
}

// patternSet answers "does any of these patterns select this file" with
// one map lookup for most files. The pass asks it about every file of
// every layer; trying each of some forty globs in turn was a fifth of
// the CPU of an SBOM of a layer of 70,000 files. A glob can only match a
// path whose last component matches its own, so the patterns are indexed
// by that component when it is a literal name; the few whose last
// component is a wildcard are tried on every path.
type patternSet struct {
	patterns []Pattern
	byName   map[string][]int
	wild     []wildGlob
}

// wildGlob is a glob whose last component is a wildcard; dir is its
// literal leading directories ("/var/lib/dpkg/status.d/"), which a path
// it matches must start with.
type wildGlob struct {
	dir, last string
	pattern   int
}

func newPatternSet(ps []Pattern) *patternSet {
	s := &patternSet{patterns: ps, byName: map[string][]int{}}
	for i, p := range ps {
		for _, g := range p.Globs {
			last := g[strings.LastIndexByte(g, '/')+1:]
			if strings.ContainsAny(last, `*?[\`) {
				s.wild = append(s.wild, wildGlob{literalDir(g), last, i})
			} else if !slices.Contains(s.byName[last], i) {
				s.byName[last] = append(s.byName[last], i)
			}
		}
	}
	return s
}

// literalDir is the part of a glob before its first component with a
// wildcard, up to and including the slash.
func literalDir(glob string) string {
	parts := strings.Split(glob, "/")
	for i, part := range parts {
		if strings.ContainsAny(part, `*?[\`) {
			return strings.Join(parts[:i], "/") + "/"
		}
	}
	return glob
}

// match is true when some pattern of the set matches, as Pattern.Match.
func (s *patternSet) match(name string, size int64) bool {
	base := path.Base(name)
	for _, i := range s.byName[base] {
		if s.patterns[i].Match(name, size) {
			return true
		}
	}
	for _, w := range s.wild {
		if !strings.HasPrefix(name, w.dir) {
			continue
		}
		if ok, _ := path.Match(w.last, base); ok && s.patterns[w.pattern].Match(name, size) {
			return true
		}
	}
	return false
}

// matchGlob matches a clean absolute path against one glob. The last
// components are compared first, without splitting either: the pass asks
// about every file of every layer and most fail there.
func matchGlob(glob, name string) bool {
	last := glob[strings.LastIndexByte(glob, '/')+1:]
	if ok, _ := path.Match(last, path.Base(name)); !ok {
		return false
	}
	return matchParts(image.SplitPath(glob), image.SplitPath(name))
}

func matchParts(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchParts(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return len(name) == 0
}
