package engineapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/live"
)

// maxAnswer caps one JSON answer; inspect, info and changes are far
// smaller, and a hostile or broken endpoint must not exhaust memory.
const maxAnswer = 64 << 20

// ErrNotFound is the engine's 404: a container removed since it was listed.
var ErrNotFound = errors.New("not found")

// Client calls one engine.
type Client struct {
	http *http.Client
	base string
	// Host is the address as given (unix:///var/run/docker.sock).
	Host string
	// Local is true for a unix socket: the engine runs on this host, so its
	// /proc, daemon.json and container layers may be read directly.
	Local bool
	// PlainTCP is true for a tcp:// address spoken to without TLS.
	PlainTCP bool
	tls      TLS
}

// DefaultHost is DOCKER_HOST, else the Docker socket.
func DefaultHost() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return "unix:///var/run/docker.sock"
}

// New makes a client for a unix:// or tcp:// address, speaking TLS to a
// tcp:// one when t is enabled. It does not connect.
func New(host string, t TLS) (*Client, error) {
	u, err := url.Parse(host)
	if err != nil {
		return nil, fmt.Errorf("engine host %q: %w", host, err)
	}
	tr := &http.Transport{ResponseHeaderTimeout: 2 * time.Minute, DisableCompression: true}
	c := &Client{Host: host, base: "http://engine"}
	switch u.Scheme {
	case "unix":
		sock := u.Path
		if sock == "" {
			return nil, fmt.Errorf("engine host %q: no socket path", host)
		}
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}
		c.Local = true
	case "tcp", "http":
		if u.Host == "" {
			return nil, fmt.Errorf("engine host %q: no address", host)
		}
		if !t.Enabled {
			c.base, c.PlainTCP = "http://"+u.Host, true
			break
		}
		cfg, err := t.config(u.Hostname())
		if err != nil {
			return nil, fmt.Errorf("engine host %q: %w", host, err)
		}
		tr.TLSClientConfig, c.base, c.tls = cfg, "https://"+u.Host, t
	default:
		return nil, fmt.Errorf("engine host %q: only unix:// and tcp:// are supported", host)
	}
	c.http = &http.Client{Transport: tr}
	return c, nil
}

// do performs one request and returns the response when its status is 2xx.
func (c *Client) do(ctx context.Context, method, p string, q url.Values) (*http.Response, error) {
	u := c.base + p
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, p, c.explainTLS(err))
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var e struct{ Message string }
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		msg = e.Message
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s %s: %w: %s", method, p, ErrNotFound, msg)
	}
	return nil, fmt.Errorf("%s %s: %s: %s", method, p, resp.Status, msg)
}

// getJSON decodes a GET answer into out, or keeps it raw when out is a
// *json.RawMessage.
func (c *Client) getJSON(ctx context.Context, p string, q url.Values, out any) error {
	resp, err := c.do(ctx, http.MethodGet, p, q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", p, err)
	}
	if len(data) > maxAnswer {
		return fmt.Errorf("GET %s: answer larger than %d bytes", p, maxAnswer)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("GET %s: %w", p, err)
	}
	return nil
}

// Ping checks that the engine answers and says which engine it is.
func (c *Client) Ping(ctx context.Context) (engine string, err error) {
	resp, err := c.do(ctx, http.MethodGet, "/_ping", nil)
	if err != nil {
		return "", fmt.Errorf("cannot reach the engine at %s: %w", c.Host, err)
	}
	resp.Body.Close()
	if resp.Header.Get("Libpod-Api-Version") != "" || strings.Contains(strings.ToLower(resp.Header.Get("Server")), "libpod") {
		return "podman", nil
	}
	return "docker", nil
}

// Info is GET /info.
func (c *Client) Info(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	return raw, c.getJSON(ctx, "/info", nil, &raw)
}

// Summary is one entry of GET /containers/json.
type Summary struct {
	ID    string `json:"Id"`
	Names []string
	State string
}

// Name is the container's name without the leading slash.
func (s Summary) Name() string {
	if len(s.Names) > 0 {
		return strings.TrimPrefix(s.Names[0], "/")
	}
	return s.ID
}

// List is GET /containers/json: running containers, or all with all.
func (c *Client) List(ctx context.Context, all bool) ([]Summary, error) {
	q := url.Values{}
	if all {
		q.Set("all", "1")
	}
	var out []Summary
	return out, c.getJSON(ctx, "/containers/json", q, &out)
}

// Inspect is GET /containers/{id}/json.
func (c *Client) Inspect(ctx context.Context, id string) (json.RawMessage, error) {
	var raw json.RawMessage
	return raw, c.getJSON(ctx, "/containers/"+url.PathEscape(id)+"/json", nil, &raw)
}

// RepoDigests is the RepoDigests of GET /images/{id}/json: the registry
// manifest digests the image was pulled by or pushed as
// (registry/repo@sha256:...). An image built or imported locally has none.
func (c *Client) RepoDigests(ctx context.Context, image string) ([]string, error) {
	var d struct{ RepoDigests []string }
	if err := c.getJSON(ctx, "/images/"+url.PathEscape(image)+"/json", nil, &d); err != nil {
		return nil, err
	}
	return d.RepoDigests, nil
}

// Top is GET /containers/{id}/top.
func (c *Client) Top(ctx context.Context, id string) (*live.Top, error) {
	var t live.Top
	if err := c.getJSON(ctx, "/containers/"+url.PathEscape(id)+"/top", nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Changes is GET /containers/{id}/changes.
func (c *Client) Changes(ctx context.Context, id string) ([]live.EngineChange, error) {
	var out []live.EngineChange
	return out, c.getJSON(ctx, "/containers/"+url.PathEscape(id)+"/changes", nil, &out)
}

// StatPath is HEAD /containers/{id}/archive?path=P: the engine stats a path
// inside the container and returns it, base64 JSON, in a header. The mode
// is Go's os.FileMode (the engine is written in Go).
func (c *Client) StatPath(ctx context.Context, id, p string) (uint32, error) {
	resp, err := c.do(ctx, http.MethodHead, "/containers/"+url.PathEscape(id)+"/archive", url.Values{"path": {p}})
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	h := resp.Header.Get("X-Docker-Container-Path-Stat")
	data, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return 0, fmt.Errorf("stat %s: %w", p, err)
	}
	var st struct {
		Mode uint32 `json:"mode"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return 0, fmt.Errorf("stat %s: %w", p, err)
	}
	return st.Mode, nil
}

// BridgeOptions are the driver options of the default bridge network,
// nil when the engine has none by that name (podman).
func (c *Client) BridgeOptions(ctx context.Context) (map[string]string, error) {
	var n struct{ Options map[string]string }
	if err := c.getJSON(ctx, "/networks/bridge", nil, &n); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if n.Options == nil {
		n.Options = map[string]string{}
	}
	return n.Options, nil
}

// Event is one engine event of a container.
type Event struct {
	Type   string
	Action string
	Actor  struct {
		ID         string
		Attributes map[string]string
	}
}

// Events follows GET /events for container start events and calls fn for
// each until ctx ends (nil error) or the stream breaks.
func (c *Client) Events(ctx context.Context, fn func(Event)) error {
	f := `{"type":["container"],"event":["start"]}`
	c2 := *c
	tr := c.http.Transport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 0
	c2.http = &http.Client{Transport: tr}
	resp, err := c2.do(ctx, http.MethodGet, "/events", url.Values{"filters": {f}})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("engine events: %w", err)
		}
		if ev.Action == "start" {
			fn(ev)
		}
	}
}
