package imageread

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// engine talks to the Docker Engine API (also served by podman) over its
// socket with plain net/http: the two calls needed do not justify the
// Docker client's dependencies.
type engine struct {
	kind   string
	client *http.Client
	base   string
}

// daemonHost returns the socket address of the docker or podman API.
func daemonHost(kind string, opts OpenOptions) string {
	if kind == "podman" {
		if opts.PodmanHost != "" {
			return opts.PodmanHost
		}
		if h := os.Getenv("CONTAINER_HOST"); h != "" {
			return h
		}
		if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
			p := filepath.Join(d, "podman", "podman.sock")
			if _, err := os.Stat(p); err == nil {
				return "unix://" + p
			}
		}
		return "unix:///run/podman/podman.sock"
	}
	if opts.DockerHost != "" {
		return opts.DockerHost
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return "unix:///var/run/docker.sock"
}

func newEngine(kind, host string) (*engine, error) {
	u, err := url.Parse(host)
	if err != nil {
		return nil, fmt.Errorf("%s host %q: %w", kind, host, err)
	}
	tr := &http.Transport{ResponseHeaderTimeout: 5 * time.Minute}
	base := "http://" + kind
	switch u.Scheme {
	case "unix":
		sock := u.Path
		if _, err := os.Stat(sock); err != nil {
			return nil, fmt.Errorf("%s socket %s: %w", kind, sock, err)
		}
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}
	case "tcp", "http":
		base = "http://" + u.Host
	default:
		return nil, fmt.Errorf("%s host %q: only unix:// and tcp:// (plain) are supported", kind, host)
	}
	return &engine{kind: kind, client: &http.Client{Transport: tr}, base: base}, nil
}

func (e *engine) get(ctx context.Context, p string, q url.Values) (*http.Response, error) {
	u := e.base + p
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return e.client.Do(req)
}

// errNoSuchImage means the daemon answered but does not hold the image.
type errNoSuchImage struct{ kind, name string }

func (e errNoSuchImage) Error() string {
	return fmt.Sprintf("no image %q in the %s daemon", e.name, e.kind)
}

// has asks whether the daemon holds the image.
func (e *engine) has(ctx context.Context, name string) error {
	resp, err := e.get(ctx, "/images/"+url.PathEscape(name)+"/json", nil)
	if err != nil {
		return fmt.Errorf("%s daemon: %w", e.kind, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return errNoSuchImage{e.kind, name}
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s daemon: inspect %s: %s", e.kind, name, apiMessage(resp))
	}
	return nil
}

func apiMessage(resp *http.Response) string {
	var m struct{ Message string }
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(data, &m) == nil && m.Message != "" {
		return m.Message
	}
	return resp.Status
}

// save spools "docker save NAME" into a temporary file: the archive must be
// seekable to be read layer by layer, and the daemon streams it once.
func (e *engine) save(ctx context.Context, name, platform, tmpDir string) (string, error) {
	q := url.Values{}
	if platform != "" {
		p, err := parsePlatform(platform)
		if err != nil {
			return "", err
		}
		js, _ := json.Marshal(map[string]string{"os": p.OS, "architecture": p.Architecture, "variant": p.Variant})
		q.Set("platform", string(js))
	}
	resp, err := e.get(ctx, "/images/"+url.PathEscape(name)+"/get", q)
	if err != nil {
		return "", fmt.Errorf("%s daemon: %w", e.kind, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s daemon: save %s: %s", e.kind, name, apiMessage(resp))
	}
	f, err := os.CreateTemp(tmpDir, "shipshape-image-*.tar")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("%s daemon: save %s: %w", e.kind, name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func openDaemon(ctx context.Context, ref, kind, name string, opts OpenOptions) (Source, error) {
	e, err := newEngine(kind, daemonHost(kind, opts))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if err := e.has(ctx, name); err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return daemonSource(ctx, ref, kind, name, e, opts)
}

func daemonSource(ctx context.Context, ref, kind, name string, e *engine, opts OpenOptions) (Source, error) {
	p, err := e.save(ctx, name, opts.Platform, opts.TempDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	src, err := openDockerArchive(ref, p)
	if err != nil {
		os.Remove(p)
		return nil, err
	}
	s := src.(*dockerArchive)
	s.kind = kind
	s.closers = append(s.closers, func() error { return os.Remove(p) })
	return s, nil
}

// openDaemonIfPresent returns the image from the docker daemon (then
// podman's) when one runs and holds it, nil otherwise.
func openDaemonIfPresent(ctx context.Context, ref string, opts OpenOptions) (Source, error) {
	for _, kind := range []string{"docker", "podman"} {
		e, err := newEngine(kind, daemonHost(kind, opts))
		if err != nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = e.has(cctx, ref)
		cancel()
		if err != nil {
			continue
		}
		return daemonSource(ctx, ref, kind, ref, e, opts)
	}
	return nil, nil
}
