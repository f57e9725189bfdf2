package imageread

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ErrNotImage is wrapped by Open's error when REF names something that is
// not an image (an "sbom:" reference or an SBOM document), so the caller can
// dispatch it elsewhere: errors.Is(err, imageread.ErrNotImage).
var ErrNotImage = errors.New("not an image")

// OpenOptions say how to reach an image.
type OpenOptions struct {
	// Platform selects from a multi-platform index: "os/arch[/variant]".
	// Empty means the host's runtime.GOOS/runtime.GOARCH.
	Platform string
	// Insecure allows plain-HTTP (and unverified TLS) registries.
	Insecure bool
	// Keychain supplies registry credentials; nil means
	// authn.DefaultKeychain (~/.docker/config.json, $DOCKER_CONFIG and
	// credential helpers).
	Keychain authn.Keychain
	// Transport is the HTTP transport for registries (tests); nil means
	// the default.
	Transport http.RoundTripper
	// DockerHost and PodmanHost override the daemon API sockets
	// ("unix:///var/run/docker.sock"). Empty means $DOCKER_HOST or the
	// default socket, and $CONTAINER_HOST or the rootless/rootful podman
	// socket.
	DockerHost string
	PodmanHost string
	// NoDaemon skips the daemon lookup for a plain reference that is not a
	// path (it then goes straight to the registry).
	NoDaemon bool
	// TempDir is where a daemon's image archive is spooled (the Engine API
	// only streams "docker save" archives, which must be seekable to be
	// read layer by layer). Empty means os.TempDir().
	TempDir string
}

// Source is an opened image: its configuration and its layers, not yet read.
// Close releases what Open acquired (a spooled daemon archive, open files).
type Source interface {
	// Ref is the reference as given; Kind how it was read: "docker-archive",
	// "oci", "dir", "docker", "podman" or "registry".
	Ref() string
	Kind() string
	// Digest is the manifest digest when known; Platform the image's
	// os/arch[/variant].
	Digest() string
	Platform() string
	// ConfigFile is the image configuration; a root filesystem directory
	// has an empty one.
	ConfigFile() (*v1.ConfigFile, error)
	// Layers are the filesystem layers, oldest first.
	Layers() ([]LayerSource, error)
	io.Closer
}

// LayerSource is one layer that can be opened as an uncompressed tar stream.
type LayerSource interface {
	// Digest is the blob digest and DiffID the uncompressed digest
	// ("sha256:..."); either may be empty when unknown without reading the
	// layer (a directory's pseudo-layer).
	Digest() string
	DiffID() string
	// Open returns the uncompressed tar stream.
	Open() (io.ReadCloser, error)
}

// Open resolves REF as docs/contract.md describes: an explicit scheme wins
// (docker-archive:, oci:, dir:, docker:, podman:, registry:; sbom: is
// answered with ErrNotImage); otherwise an existing path is sniffed (OCI
// layout directory, tar or gzip tar holding a docker-archive or an OCI
// layout, root filesystem directory; a JSON document is ErrNotImage);
// otherwise a local daemon that holds the image; otherwise a registry.
// Nothing is read from the layers yet.
func Open(ctx context.Context, ref string, opts OpenOptions) (Source, error) {
	return open(ctx, ref, opts)
}

// FromV1 wraps a go-containerregistry image (built in memory, for instance)
// as a Source; kind names where it came from.
func FromV1(ref, kind string, img v1.Image) Source {
	return newV1Source(ref, kind, img, nil)
}

func notImage(ref, why string) error {
	return fmt.Errorf("%s: %s: %w", ref, why, ErrNotImage)
}
