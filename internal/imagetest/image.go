package imagetest

import (
	"bytes"
	"fmt"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Image describes a test image.
type Image struct {
	// Layers are the build steps, oldest first. A step with EmptyLayer
	// adds only a history entry (ENV, USER), so layer indices count the
	// other steps.
	Layers []Layer
	Config Config
	// Created is the creation time of the image and of every history
	// entry; zero means Epoch.
	Created time.Time
	// OS, Architecture and Variant are the platform; empty means
	// linux/amd64.
	OS, Architecture, Variant string
}

// Layer is one build step: a history entry and, unless EmptyLayer, the
// layer it produced. The layer's content is Entries, or the tar stream
// Open returns, or V1 as it is.
type Layer struct {
	CreatedBy  string
	Comment    string
	EmptyLayer bool
	Entries    []Entry
	// Uncompressed stores the blob as the plain tar, with the OCI
	// uncompressed media type; by default it is gzip-compressed.
	Uncompressed bool
	// Open, when set, returns the layer's tar stream (compressed or not)
	// in place of Entries.
	Open func() (io.ReadCloser, error)
	// V1, when set, is the layer, used as it is: a deliberately broken
	// one, say.
	V1 v1.Layer
}

// Config is the part of the image configuration tests set.
type Config struct {
	User         string
	Env          []string
	Labels       map[string]string
	ExposedPorts []string // "22/tcp"
	Entrypoint   []string
	Cmd          []string
	WorkingDir   string
	// Healthcheck is the healthcheck's test (["CMD", "/app", "health"],
	// ["NONE"] to disable); nil means none.
	Healthcheck []string
}

func (c Config) v1() v1.Config {
	out := v1.Config{User: c.User, Env: c.Env, Labels: c.Labels, Entrypoint: c.Entrypoint, Cmd: c.Cmd, WorkingDir: c.WorkingDir}
	if c.ExposedPorts != nil {
		out.ExposedPorts = map[string]struct{}{}
		for _, p := range c.ExposedPorts {
			out.ExposedPorts[p] = struct{}{}
		}
	}
	if c.Healthcheck != nil {
		out.Healthcheck = &v1.HealthConfig{Test: c.Healthcheck}
	}
	return out
}

// Build returns the layer as a go-containerregistry layer.
func (l Layer) Build() (v1.Layer, error) {
	switch {
	case l.V1 != nil:
		return l.V1, nil
	case l.Open != nil:
		return tarball.LayerFromOpener(l.Open)
	}
	b, err := TarOf(l.Entries...)
	if err != nil {
		return nil, err
	}
	if l.Uncompressed {
		return static.NewLayer(b, types.OCIUncompressedLayer), nil
	}
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
}

// Build builds the image: each step appended with mutate.Append, then the
// configuration, platform and creation time set.
func (im Image) Build() (v1.Image, error) {
	created := im.Created
	if created.IsZero() {
		created = Epoch
	}
	img := empty.Image
	for i, l := range im.Layers {
		add := mutate.Addendum{History: v1.History{CreatedBy: l.CreatedBy, Comment: l.Comment, EmptyLayer: l.EmptyLayer, Created: v1.Time{Time: created}}}
		if !l.EmptyLayer {
			layer, err := l.Build()
			if err != nil {
				return nil, fmt.Errorf("layer %d: %w", i, err)
			}
			add.Layer = layer
		}
		var err error
		if img, err = mutate.Append(img, add); err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Config = im.Config.v1()
	cf.OS, cf.Architecture, cf.Variant = "linux", "amd64", im.Variant
	if im.OS != "" {
		cf.OS = im.OS
	}
	if im.Architecture != "" {
		cf.Architecture = im.Architecture
	}
	cf.Created = v1.Time{Time: created}
	return mutate.ConfigFile(img, cf)
}
