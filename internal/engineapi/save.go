package engineapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

// SaveImage spools GET /images/{name}/get (docker save, which Podman
// serves too) into a new file in dir ("" for the system's temporary
// directory) and returns its path; the caller removes it. The archive is
// spooled because it is read layer by layer and the engine streams it
// once. It goes through the client's own transport, so an engine reached
// over TLS exports over TLS.
func (c *Client) SaveImage(ctx context.Context, name, dir string) (string, error) {
	resp, err := c.do(ctx, http.MethodGet, "/images/"+url.PathEscape(name)+"/get", nil)
	if err != nil {
		return "", fmt.Errorf("save image %s: %w", name, err)
	}
	defer resp.Body.Close()
	f, err := os.CreateTemp(dir, "shipshape-image-*.tar")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("save image %s: %w", name, c.explainTLS(err))
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
