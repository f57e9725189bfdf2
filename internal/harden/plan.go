package harden

import (
	"archive/tar"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// Kind names one kind of change; the names appear in the plan, in the
// org.shipshape.hardened.actions label and in docs/harden.md.
type Kind string

// The kinds of change, in the order the plan lists them.
const (
	StripSetuid          Kind = "strip-setuid"
	RemoveCache          Kind = "remove-cache"
	DropShadowed         Kind = "drop-shadowed"
	SetUser              Kind = "set-user"
	AddUser              Kind = "add-user"
	RemoveShell          Kind = "remove-shell"
	RemovePackageManager Kind = "remove-package-manager"
)

var kindOrder = map[Kind]int{StripSetuid: 0, RemoveCache: 1, DropShadowed: 2, SetUser: 3, AddUser: 4, RemoveShell: 5, RemovePackageManager: 6}

// ErrRefused is wrapped by Plan's error when an option cannot be honoured
// without breaking the image (--remove-shells with an entrypoint that runs
// through a shell, --user with an unusable name or account file).
var ErrRefused = errors.New("refused")

// Options choose what Plan changes.
type Options struct {
	// Allow lists setuid/setgid files (absolute paths in the final view)
	// that keep their bits.
	Allow []string
	// User names the account the image should run as; it is created
	// (passwd and group entries, a free uid) when the image has none. Empty
	// means: when the image runs as root, switch to an existing
	// unprivileged account if there is one.
	User string
	// KeepUser leaves the configured user alone.
	KeepUser bool
	// RemoveShells removes shells and package managers (IM1202, IM1203).
	RemoveShells bool
}

// Change is one planned change to one path.
type Change struct {
	Kind Kind
	// Path is the file the change is about ("" for a configuration
	// change).
	Path string
	// Layers are the indices of the layers rewritten for it.
	Layers []int
	// Bytes is how many file bytes the change removes from the layers.
	Bytes int64
	// Detail says what exactly changes ("mode 4755 -> 0755", "apt package
	// lists", "user 65534:65534 (nobody)").
	Detail string
}

// Plan is every change Build will make, decided from the model of one pass
// over the image.
type Plan struct {
	Changes []Change
	// Notes say what was deliberately left alone and why (an allowed
	// setuid file, a hard link that keeps its target, no account to switch
	// to).
	Notes []string
	// User is the configuration user to set ("uid:gid"), empty to keep it.
	User string

	layers map[int]*layerPlan
	// added are files new to the image, written into Build's extra layer
	// (account files the image did not have).
	added []addedFile
}

// addedFile is a file Build adds in its extra layer.
type addedFile struct {
	path string
	mode int64
	body []byte
}

// entryKey names one tar entry of one layer: a path and which occurrence
// of it in that layer (a layer may write a path twice; the later wins).
type entryKey struct {
	path string
	occ  int
}

// layerPlan is what changes in one layer.
type layerPlan struct {
	drop    map[entryKey]bool
	chmod   map[entryKey]bool
	replace map[entryKey][]byte
}

func (lp *layerPlan) empty() bool {
	return lp == nil || len(lp.drop)+len(lp.chmod)+len(lp.replace) == 0
}

// Empty reports whether the plan changes nothing in the image's
// filesystem or configuration.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Counts returns the number of changes of each kind.
func (p *Plan) Counts() map[Kind]int {
	out := map[Kind]int{}
	for _, c := range p.Changes {
		out[c.Kind]++
	}
	return out
}

// Bytes is the total of file bytes the plan removes.
func (p *Plan) Bytes() int64 {
	var n int64
	for _, c := range p.Changes {
		n += c.Bytes
	}
	return n
}

// LayerChanged reports whether Build rewrites layer i.
func (p *Plan) LayerChanged(i int) bool { return !p.layers[i].empty() }

// entryRef locates one entry of the model as the layer rewriter will meet
// it.
type entryRef struct {
	idx   int // index in Image.Entries
	layer int
	key   entryKey
}

// planner holds what MakePlan works from.
type planner struct {
	im   *image.Image
	opts Options
	plan *Plan
	// byPath lists the non-whiteout entries of every path, oldest first.
	byPath map[string][]entryRef
	// taken marks entries a change already claimed, so that no entry is
	// counted twice (a shadowed cache file is a cache file).
	taken map[int]bool
	// files are the final view's paths, sorted.
	files []string
}

// MakePlan decides every change for im. It reads only the model: the
// final view, every entry of every layer, the captured account files and
// the configuration.
func MakePlan(im *image.Image, opts Options) (*Plan, error) {
	pl := &planner{im: im, opts: opts, plan: &Plan{layers: map[int]*layerPlan{}}, byPath: map[string][]entryRef{}, taken: map[int]bool{}, files: sortedFiles(im)}
	occ := map[int]map[string]int{}
	for i, e := range im.Entries() {
		if e.Whiteout {
			continue
		}
		if occ[e.Layer] == nil {
			occ[e.Layer] = map[string]int{}
		}
		n := occ[e.Layer][e.Path]
		occ[e.Layer][e.Path] = n + 1
		pl.byPath[e.Path] = append(pl.byPath[e.Path], entryRef{idx: i, layer: e.Layer, key: entryKey{e.Path, n}})
	}
	if opts.RemoveShells {
		if err := pl.removeTools(); err != nil {
			return nil, err
		}
	}
	pl.stripSetuid()
	pl.removeCaches()
	pl.dropShadowed()
	if err := pl.user(); err != nil {
		return nil, err
	}
	pl.keepLinkTargets()
	sort.SliceStable(pl.plan.Changes, func(a, b int) bool {
		x, y := pl.plan.Changes[a], pl.plan.Changes[b]
		if x.Kind != y.Kind {
			return kindOrder[x.Kind] < kindOrder[y.Kind]
		}
		return x.Path < y.Path
	})
	return pl.plan, nil
}

func (pl *planner) layer(i int) *layerPlan {
	lp := pl.plan.layers[i]
	if lp == nil {
		lp = &layerPlan{drop: map[entryKey]bool{}, chmod: map[entryKey]bool{}, replace: map[entryKey][]byte{}}
		pl.plan.layers[i] = lp
	}
	return lp
}

// last returns the entry of the final view's copy of p (the last
// non-whiteout entry of p in the layer the final view took it from).
func (pl *planner) last(p string) (entryRef, bool) {
	f, _ := pl.im.File(p)
	refs := pl.byPath[p]
	for i := len(refs) - 1; i >= 0; i-- {
		if f != nil && refs[i].layer == f.Layer {
			return refs[i], true
		}
	}
	return entryRef{}, false
}

// dropAll drops every unclaimed entry of p that keep accepts, in every
// layer, and returns the layers and bytes it removed.
func (pl *planner) dropAll(p string, keep func(image.Entry) bool) (layers []int, bytes int64) {
	for _, r := range pl.byPath[p] {
		e := pl.im.Entry(r.idx)
		if pl.taken[r.idx] || !keep(e) {
			continue
		}
		pl.taken[r.idx] = true
		pl.layer(r.layer).drop[r.key] = true
		if e.Mode.IsRegular() && e.Typeflag != tar.TypeLink {
			bytes += e.Size
		}
		if len(layers) == 0 || layers[len(layers)-1] != r.layer {
			layers = append(layers, r.layer)
		}
	}
	return layers, bytes
}

func notDir(e image.Entry) bool { return !e.Mode.IsDir() }

// stripSetuid clears the setuid and setgid bits of every file of the final
// view that has them and is not allowed (as IM1200 reports them). A hard
// link's bits live on its target, which is rewritten too.
func (pl *planner) stripSetuid() {
	allow := map[string]bool{}
	for _, a := range pl.opts.Allow {
		allow[path.Clean("/"+a)] = true
	}
	for _, p := range pl.files {
		f, _ := pl.im.File(p)
		if !f.Mode.IsRegular() || f.Mode&(fs.ModeSetuid|fs.ModeSetgid) == 0 {
			continue
		}
		if allow[p] {
			pl.plan.Notes = append(pl.plan.Notes, fmt.Sprintf("%s keeps its setuid/setgid bits (--allow)", p))
			continue
		}
		r, ok := pl.last(p)
		if !ok || pl.taken[r.idx] {
			continue
		}
		pl.layer(r.layer).chmod[r.key] = true
		layers := []int{r.layer}
		if f.Typeflag == tar.TypeLink {
			if t, ok := pl.last(f.Linkname); ok {
				pl.layer(t.layer).chmod[t.key] = true
				if t.layer != r.layer {
					layers = append(layers, t.layer)
				}
			}
		}
		perm := f.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		pl.plan.Changes = append(pl.plan.Changes, Change{Kind: StripSetuid, Path: p, Layers: layers,
			Detail: fmt.Sprintf("mode %04o -> %04o", tarMode(perm), tarMode(perm&^(fs.ModeSetuid|fs.ModeSetgid)))})
	}
}

// tarMode renders an fs.FileMode's permission and special bits as the
// octal number chmod takes.
func tarMode(m fs.FileMode) int64 {
	v := int64(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return v
}

// removableCaches are the IM1300 caches harden deletes: package indexes
// and download or build caches that the next install or build fetches or
// rebuilds. A Maven repository and Gradle's caches are left alone: an
// application may resolve from them at run time, offline.
var removableCaches = map[string]bool{
	"apt package lists": true, "apt package cache": true, "apk cache": true, "yum cache": true,
	"dnf cache": true, "zypper cache": true, "yarn cache": true, "pip cache": true, "npm cache": true,
	"Go build cache": true, "Go module download cache": true, "pnpm cache": true,
}

// removeCaches drops every file (not directory: the empty directories stay,
// as a package manager expects them) under a removable cache directory, in
// every layer; the package databases (dpkg status, apk installed, rpm db)
// are in none of them.
func (pl *planner) removeCaches() {
	paths := make([]string, 0, len(pl.byPath))
	for p := range pl.byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		name, _, ok := imrules.CacheOf(p)
		if !ok || !removableCaches[name] {
			continue
		}
		layers, bytes := pl.dropAll(p, notDir)
		if len(layers) > 0 {
			pl.plan.Changes = append(pl.plan.Changes, Change{Kind: RemoveCache, Path: p, Layers: layers, Bytes: bytes, Detail: name})
		}
	}
}

// dropShadowed drops every non-directory entry that a later layer deleted
// or overwrote (IM1301's reclaimable bytes). Directories stay: they cost
// no bytes, and a lower layer's files need their parent.
func (pl *planner) dropShadowed() {
	type agg struct {
		layers []int
		bytes  int64
	}
	by := map[string]*agg{}
	for i, e := range pl.im.Entries() {
		if !e.Shadowed || e.Whiteout || e.Mode.IsDir() || pl.taken[i] {
			continue
		}
		a := by[e.Path]
		if a == nil {
			a = &agg{}
			by[e.Path] = a
		}
		pl.taken[i] = true
		for _, r := range pl.byPath[e.Path] {
			if r.idx == i {
				pl.layer(r.layer).drop[r.key] = true
			}
		}
		if e.Mode.IsRegular() && e.Typeflag != tar.TypeLink {
			a.bytes += e.Size
		}
		if len(a.layers) == 0 || a.layers[len(a.layers)-1] != e.Layer {
			a.layers = append(a.layers, e.Layer)
		}
	}
	for p, a := range by {
		detail := "deleted by a later layer"
		if _, ok := pl.im.File(p); ok {
			detail = "overwritten by a later layer"
		}
		pl.plan.Changes = append(pl.plan.Changes, Change{Kind: DropShadowed, Path: p, Layers: a.layers, Bytes: a.bytes, Detail: detail})
	}
}

// removeTools removes the shells and package managers IM1202 and IM1203
// find, with the symbolic links that lead to them, unless the image's
// entrypoint, command or healthcheck needs a shell.
func (pl *planner) removeTools() error {
	im := pl.im
	if imrules.EntrypointNeedsShell(im) {
		args := append(append([]string(nil), im.Config.Entrypoint...), im.Config.Cmd...)
		if len(args) == 0 {
			return fmt.Errorf("--remove-shells: %w: the image has no entrypoint or command, so `docker run IMAGE` starts a shell; set an exec-form ENTRYPOINT first", ErrRefused)
		}
		return fmt.Errorf("--remove-shells: %w: the image's entrypoint/command %q runs through a shell; use an exec-form ENTRYPOINT that does not need one first", ErrRefused, strings.Join(args, " "))
	}
	if hc := im.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] == "CMD-SHELL" {
		return fmt.Errorf("--remove-shells: %w: the image's healthcheck runs through a shell (CMD-SHELL); use the exec form (CMD) first", ErrRefused)
	}
	remove := func(kind Kind, tools []imrules.Tool) {
		for _, t := range tools {
			pl.removeFile(kind, t.Real, t.Name)
		}
	}
	remove(RemoveShell, imrules.Shells(im))
	remove(RemovePackageManager, imrules.PackageManagers(im))
	return nil
}

// removeFile drops real (a regular file) and every symbolic link of the
// final view that resolves to it.
func (pl *planner) removeFile(kind Kind, real, name string) {
	if layers, bytes := pl.dropAll(real, notDir); len(layers) > 0 {
		pl.plan.Changes = append(pl.plan.Changes, Change{Kind: kind, Path: real, Layers: layers, Bytes: bytes, Detail: name})
	}
	for _, p := range pl.files {
		f, _ := pl.im.File(p)
		if f.Typeflag != tar.TypeSymlink {
			continue
		}
		if to, err := pl.im.ResolvePath(p); err != nil || to != real {
			continue
		}
		if layers, _ := pl.dropAll(p, notDir); len(layers) > 0 {
			pl.plan.Changes = append(pl.plan.Changes, Change{Kind: kind, Path: p, Layers: layers, Detail: "link to " + real})
		}
	}
}

// keepLinkTargets keeps the target of every hard link that stays: a tar
// hard link points at an earlier entry, and dropping that entry would make
// the layer unreadable. The change that wanted it gone loses it and a note
// says why.
func (pl *planner) keepLinkTargets() {
	for i, e := range pl.im.Entries() {
		if e.Whiteout || e.Typeflag != tar.TypeLink || pl.taken[i] {
			continue
		}
		for _, r := range pl.byPath[e.Linkname] {
			if r.layer != e.Layer || r.idx > i || !pl.layer(r.layer).drop[r.key] {
				continue
			}
			delete(pl.layer(r.layer).drop, r.key)
			pl.plan.Notes = append(pl.plan.Notes, fmt.Sprintf("%s (layer %d) is kept: %s is a hard link to it", e.Linkname, r.layer, e.Path))
			pl.unclaim(e.Linkname, r)
		}
	}
}

// unclaim takes an entry that must stay out of the change that claimed
// it: its bytes no longer count, and the change goes when it has no entry
// left to drop.
func (pl *planner) unclaim(p string, r entryRef) {
	e := pl.im.Entry(r.idx)
	pl.taken[r.idx] = false
	dropsKind := func(k Kind) bool {
		return k == RemoveCache || k == DropShadowed || k == RemoveShell || k == RemovePackageManager
	}
	for i := range pl.plan.Changes {
		if c := &pl.plan.Changes[i]; c.Path == p && dropsKind(c.Kind) && e.Mode.IsRegular() && e.Typeflag != tar.TypeLink {
			c.Bytes -= e.Size
		}
	}
	pl.plan.Changes = slices.DeleteFunc(pl.plan.Changes, func(c Change) bool {
		return c.Path == p && dropsKind(c.Kind) && !pl.dropsPath(p, c.Layers)
	})
}

// dropsPath reports whether any of layers still drops an entry of p.
func (pl *planner) dropsPath(p string, layers []int) bool {
	for _, l := range layers {
		for k := range pl.layer(l).drop {
			if k.path == p {
				return true
			}
		}
	}
	return false
}

func sortedFiles(im *image.Image) []string {
	out := make([]string, 0, im.NumFiles())
	for f := range im.Files() {
		p := f.Path
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
