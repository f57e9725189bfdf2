// Package fleetgen generates synthetic fleets from real package sets, for
// the fleet server's benchmarks and scale tests: every image holds a real
// Debian bookworm minbase package set, a draw from a real larger Debian
// system's packages, and language packages whose names and versions come
// from real OSV records, so that matching finds what it would find in a
// real fleet. Generation is deterministic: image i of a seed is always
// the same.
package fleetgen

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// LangPackage is a language package and versions of it that advisories
// name.
type LangPackage struct {
	Ecosystem, Name string
	Versions        []string
}

// Pool holds the real package sets a fleet is drawn from.
type Pool struct {
	Distro *sbom.Distro
	// Base is in every image (a minbase root filesystem); Extra is drawn
	// from per image (a full system's packages not in Base).
	Base, Extra []sbom.Package
	Lang        []LangPackage
}

// LoadPool reads the package sets: baseRoot is a root filesystem
// directory (its dpkg database), extraStatus a dpkg status file of a
// larger system, osvZips OSV archives (osv.dev's all.zip layout) whose
// affected package versions become the language packages.
func LoadPool(ctx context.Context, baseRoot, extraStatus string, osvZips ...string) (*Pool, error) {
	base, err := catalog(ctx, baseRoot)
	if err != nil {
		return nil, err
	}
	// The status file is catalogued inside a root filesystem of its own,
	// beside the base's os-release.
	tmp, err := os.MkdirTemp("", "shipshape-fleetgen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, f := range []struct{ src, dst string }{{extraStatus, "var/lib/dpkg/status"}, {filepath.Join(baseRoot, "etc/os-release"), "etc/os-release"}} {
		data, err := os.ReadFile(f.src)
		if err != nil {
			return nil, err
		}
		dst := filepath.Join(tmp, f.dst)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, err
		}
	}
	extra, err := catalog(ctx, tmp)
	if err != nil {
		return nil, err
	}
	p := &Pool{Distro: base.Distro, Base: base.Packages}
	inBase := map[string]bool{}
	for _, pk := range base.Packages {
		inBase[pk.Name] = true
	}
	for _, pk := range extra.Packages {
		if !inBase[pk.Name] {
			p.Extra = append(p.Extra, pk)
		}
	}
	for _, z := range osvZips {
		lang, err := langPackages(z)
		if err != nil {
			return nil, err
		}
		p.Lang = append(p.Lang, lang...)
	}
	if len(p.Base) == 0 || len(p.Extra) == 0 || len(p.Lang) == 0 {
		return nil, fmt.Errorf("empty package pool: %d base, %d extra, %d language packages", len(p.Base), len(p.Extra), len(p.Lang))
	}
	return p, nil
}

func catalog(ctx context.Context, dir string) (*sbom.SBOM, error) {
	src, err := imageread.Open(ctx, "dir:"+dir, imageread.OpenOptions{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	img, err := imageread.Scan(ctx, src, sbom.ScanOptions(imageread.ScanOptions{NoCache: true}))
	if err != nil {
		return nil, err
	}
	return sbom.FromImage(img), nil
}

// langPackages reads the package names and explicitly listed affected
// versions of an OSV archive.
func langPackages(path string) ([]LangPackage, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	versions := map[[2]string]map[string]bool{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, 16<<20))
		rc.Close()
		if err != nil {
			return nil, err
		}
		a, ok, err := vuln.ParseOSV(data)
		if err != nil || !ok {
			continue
		}
		for _, af := range a.Affected {
			k := [2]string{af.Ecosystem, af.Package}
			if versions[k] == nil {
				versions[k] = map[string]bool{}
			}
			for _, v := range af.Versions {
				versions[k][v] = true
			}
		}
	}
	var out []LangPackage
	for k, vs := range versions {
		if len(vs) == 0 || (k[0] != sbom.EcoPyPI && k[0] != sbom.EcoGo) {
			continue
		}
		lp := LangPackage{Ecosystem: k[0], Name: k[1]}
		for v := range vs {
			lp.Versions = append(lp.Versions, v)
		}
		sort.Strings(lp.Versions)
		out = append(out, lp)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Ecosystem != out[j].Ecosystem {
			return out[i].Ecosystem < out[j].Ecosystem
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Generator draws images from a pool.
type Generator struct {
	Pool *Pool
	Seed uint64
	// Packages is the number of packages per image (about; at least the
	// base set); LangShare the part of them that are language packages.
	Packages  int
	LangShare float64
	// Popular bounds the language packages images draw from and
	// Versions the versions of each: fleets reuse the same libraries at a
	// few versions, and the number of distinct package versions (what
	// matching costs) follows from these.
	Popular, Versions int
}

// New returns a generator of images of about 300 packages, a sixth of
// them language packages.
func New(p *Pool, seed uint64) *Generator {
	return &Generator{Pool: p, Seed: seed, Packages: 300, LangShare: 1.0 / 6, Popular: 400, Versions: 4}
}

// Image returns image i: its digest, a reference and its SBOM.
func (g *Generator) Image(i int) store.Image {
	r := rand.New(rand.NewPCG(g.Seed, uint64(i)))
	p := g.Pool
	pkgs := make([]sbom.Package, 0, g.Packages+8)
	for _, b := range p.Base {
		b.Layer, b.LayerDigest = 0, layerDigest(g.Seed, i%50, 0)
		pkgs = append(pkgs, b)
	}
	nLang := int(float64(g.Packages) * g.LangShare)
	nExtra := max(0, min(len(p.Extra), g.Packages-len(p.Base)-nLang))
	for _, j := range r.Perm(len(p.Extra))[:nExtra] {
		e := p.Extra[j]
		e.Layer, e.LayerDigest = 1, layerDigest(g.Seed, i, 1)
		pkgs = append(pkgs, e)
	}
	seen := map[string]bool{}
	for k := 0; k < nLang; k++ {
		// Popular packages are spread over the pool (every step-th), so
		// that both ecosystems are drawn.
		step := max(1, len(p.Lang)/max(1, min(g.Popular, len(p.Lang))))
		lp := p.Lang[(r.IntN(max(1, len(p.Lang)/step))*step)%len(p.Lang)]
		if seen[lp.Ecosystem+lp.Name] {
			continue
		}
		seen[lp.Ecosystem+lp.Name] = true
		// The versions used are spread over the listed ones, oldest to newest.
		nv := min(g.Versions, len(lp.Versions))
		v := lp.Versions[(r.IntN(nv)*len(lp.Versions))/nv]
		pk := sbom.Package{Name: lp.Name, Version: v, Ecosystem: lp.Ecosystem, Layer: 2, LayerDigest: layerDigest(g.Seed, i, 2)}
		switch lp.Ecosystem {
		case sbom.EcoPyPI:
			pk.PURL = "pkg:pypi/" + strings.ToLower(lp.Name) + "@" + v
			pk.Cataloger, pk.Location = "python", "/usr/local/lib/python3.11/site-packages/"+lp.Name+"-"+v+".dist-info/METADATA"
		case sbom.EcoGo:
			pk.PURL = "pkg:golang/" + lp.Name + "@" + v
			pk.Cataloger, pk.Location = "go-binary", "/usr/local/bin/service"
		}
		pkgs = append(pkgs, pk)
	}
	s := &sbom.SBOM{Subject: g.Ref(i), Source: "registry", Distro: p.Distro, Packages: pkgs}
	return store.Image{Digest: g.Digest(i), Ref: g.Ref(i), SBOM: s}
}

// Digest is image i's digest.
func (g *Generator) Digest(i int) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(fmt.Sprintf("fleetgen %d image %d", g.Seed, i))))
}

// Ref is image i's reference: a few teams with many services and tags.
func (g *Generator) Ref(i int) string {
	return fmt.Sprintf("registry.example/team%02d/service%04d:%d", i%20, (i/20)%500, i/10000+1)
}

func layerDigest(seed uint64, i, layer int) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(fmt.Sprintf("fleetgen %d layer %d/%d", seed, i, layer))))
}

// Containers returns the containers running image i: none for most, up
// to three on hosts of the fleet.
func (g *Generator) Containers(i int) []store.Container {
	r := rand.New(rand.NewPCG(g.Seed^0x9e3779b97f4a7c15, uint64(i)))
	n := r.IntN(6) - 2
	var out []store.Container
	for k := 0; k < n; k++ {
		out = append(out, store.Container{Host: fmt.Sprintf("node-%03d", r.IntN(200)), ContainerID: fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(g.Seed, i, k))))[:12],
			Name: fmt.Sprintf("svc%d-%d", i, k), ImageDigest: g.Digest(i), ImageRef: g.Ref(i), Started: 1_700_000_000 + int64(i)})
	}
	return out
}
