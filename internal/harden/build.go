package harden

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	gzip "github.com/klauspost/compress/gzip"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// SBOMPath is where the hardened image carries its SBOM (CycloneDX JSON):
// a file in the image, rather than only a registry referrer, because it
// then survives docker save, docker load and every copy between
// registries, and any scanner reading the filesystem finds it. The
// org.shipshape.sbom label names it.
const SBOMPath = "/usr/share/shipshape/sbom.cdx.json"

// The labels Build sets (docs/harden.md).
const (
	LabelHardened = "org.shipshape.hardened"
	LabelVersion  = "org.shipshape.hardened.version"
	LabelActions  = "org.shipshape.hardened.actions"
	LabelFrom     = "org.shipshape.hardened.from"
	LabelSBOM     = "org.shipshape.sbom"
)

// BuildOptions say what Build adds besides the plan.
type BuildOptions struct {
	// Version is shipshape's version, for the labels and the history.
	Version string
	// From names the original image in the labels (its reference).
	From string
	// SBOM is the CycloneDX JSON document written to SBOMPath.
	SBOM []byte
	// TempDir holds the spooled layers until Close; empty means
	// os.TempDir().
	TempDir string
	// Progress, when set, is told about each layer.
	Progress func(msg string)
	// Copy makes an unchanged copy (no extra layer, no labels): the
	// original side of --verify-cmd, for sources docker cannot load.
	Copy bool
}

// Built is a hardened image whose layers are spooled on disk: it stays
// valid until Close.
type Built struct {
	Image v1.Image
	// Stats per rewritten layer: entries dropped, chmodded, replaced.
	Dropped, Chmodded, Replaced int
	// SBOM is the CycloneDX document the image carries at SBOMPath.
	SBOM []byte
	dir  string
}

// Close removes the spooled layers.
func (b *Built) Close() error {
	if b == nil || b.dir == "" {
		return nil
	}
	err := os.RemoveAll(b.dir)
	b.dir = ""
	return err
}

// Build applies plan to src (whose model is before) and returns the
// hardened image: every layer is streamed once from the source and written
// once to a spool file (rewritten where the plan changes it), one layer
// with the SBOM and any new account files is added, and the configuration
// gets the user, the labels and a history entry. Media types are OCI's.
func Build(ctx context.Context, src imageread.Source, before *image.Image, plan *Plan, o BuildOptions) (*Built, error) {
	cf, err := src.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg := cf.DeepCopy()
	srcLayers, err := src.Layers()
	if err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	dir, err := os.MkdirTemp(o.TempDir, "shipshape-harden-")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	b := &Built{dir: dir, SBOM: o.SBOM}
	ok := false
	defer func() {
		if !ok {
			b.Close()
		}
	}()
	var layers []v1.Layer
	for i, ls := range srcLayers {
		if o.Progress != nil {
			o.Progress(fmt.Sprintf("layer %d/%d", i+1, len(srcLayers)))
		}
		l, err := b.spool(ctx, i, ls, plan.layers[i])
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		layers = append(layers, l)
	}
	if !o.Copy {
		extra, err := b.extraLayer(before, plan, o.SBOM)
		if err != nil {
			return nil, fmt.Errorf("sbom layer: %w", err)
		}
		layers = append(layers, extra)
	}
	cfg.RootFS.Type = "layers"
	cfg.RootFS.DiffIDs = nil
	for i, l := range layers {
		d, err := l.DiffID()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, d)
	}
	if !o.Copy {
		configure(cfg, plan, o)
	}
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.AppendLayers(base, layers...)
	if err != nil {
		return nil, err
	}
	if b.Image, err = mutate.ConfigFile(img, cfg); err != nil {
		return nil, err
	}
	ok = true
	return b, nil
}

// spool writes layer i, rewritten by lp, to an uncompressed tar file and
// returns it as a layer; ggcr compresses it when it is written out.
func (b *Built) spool(ctx context.Context, i int, ls imageread.LayerSource, lp *layerPlan) (v1.Layer, error) {
	p := filepath.Join(b.dir, "layer-"+strconv.Itoa(i)+".tar")
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	rc, err := ls.Open()
	if err != nil {
		f.Close()
		return nil, err
	}
	st, err := rewriteLayer(ctx, rc, f, lp)
	rc.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	b.Dropped += st.dropped
	b.Chmodded += st.chmodded
	b.Replaced += st.replaced
	return tarball.LayerFromFile(p, tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(gzip.BestSpeed))
}

// extraLayer holds the SBOM and the account files the image lacked, with
// the parent directories the final view does not have yet.
func (b *Built) extraLayer(before *image.Image, plan *Plan, sbom []byte) (v1.Layer, error) {
	files := append([]addedFile(nil), plan.added...)
	if sbom != nil {
		files = append(files, addedFile{path: SBOMPath, mode: 0o644, body: sbom})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, f := range files {
		var parents []string
		for d := path.Dir(f.path); d != "/" && !dirs[d]; d = path.Dir(d) {
			if _, ok := before.File(d); ok {
				break
			}
			dirs[d] = true
			parents = append([]string{d}, parents...)
		}
		for _, d := range parents {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: strings.TrimPrefix(d, "/") + "/", Mode: 0o755, ModTime: time.Unix(0, 0)}); err != nil {
				return nil, err
			}
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: strings.TrimPrefix(f.path, "/"), Mode: f.mode, Size: int64(len(f.body)), ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	p := filepath.Join(b.dir, "layer-extra.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	return tarball.LayerFromFile(p, tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(gzip.BestSpeed))
}

// configure sets the user, the labels and the history entry of the extra
// layer. The creation time stays the original's: hardening does not make
// the software in the image any newer.
func configure(cfg *v1.ConfigFile, plan *Plan, o BuildOptions) {
	if plan.User != "" {
		cfg.Config.User = plan.User
	}
	if cfg.Config.Labels == nil {
		cfg.Config.Labels = map[string]string{}
	}
	actions := ActionsLabel(plan)
	cfg.Config.Labels[LabelHardened] = "true"
	cfg.Config.Labels[LabelVersion] = o.Version
	cfg.Config.Labels[LabelActions] = actions
	if o.From != "" {
		cfg.Config.Labels[LabelFrom] = o.From
	}
	if o.SBOM != nil {
		cfg.Config.Labels[LabelSBOM] = SBOMPath
	}
	cfg.History = append(cfg.History, v1.History{
		Created:   cfg.Created,
		CreatedBy: "shipshape harden " + o.Version + ": " + actions,
		Comment:   "SBOM at " + SBOMPath,
	})
}

// ActionsLabel renders the plan as the org.shipshape.hardened.actions
// label: kind=count pairs in plan order, the user as set-user=uid:gid,
// "none" for an empty plan.
func ActionsLabel(plan *Plan) string {
	counts := plan.Counts()
	var parts []string
	for _, k := range []Kind{StripSetuid, RemoveCache, DropShadowed, AddUser, RemoveShell, RemovePackageManager} {
		if counts[k] > 0 {
			parts = append(parts, string(k)+"="+strconv.Itoa(counts[k]))
		}
	}
	if plan.User != "" {
		parts = append(parts, string(SetUser)+"="+plan.User)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}
