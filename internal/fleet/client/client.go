// Package client talks to a fleet server: what `shipshape push` (and
// later the agent) use to upload SBOMs and container records.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// Client is a fleet API client.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// New returns a client of the server at base (http:// or https://) using
// the bearer token; hc nil means http.DefaultClient.
func New(base, token string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http(s)://host[:port]", base)
	}
	if token == "" {
		return nil, errors.New("no API token (--token or SHIPSHAPE_TOKEN; create one with `shipshape server token create --scope ingest`)")
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: u, token: token, http: hc}, nil
}

// Ingested is the server's answer to an upload.
type Ingested struct {
	store.IngestResult
	Digest string `json:"digest"`
	Ref    string `json:"ref,omitempty"`
}

// UploadSBOM uploads an SBOM document (CycloneDX or SPDX) as the image
// digest pushed as ref.
func (c *Client) UploadSBOM(ctx context.Context, ref, digest string, doc []byte) (Ingested, error) {
	q := url.Values{}
	if ref != "" {
		q.Set("image", ref)
	}
	if digest != "" {
		q.Set("digest", digest)
	}
	var out Ingested
	err := c.do(ctx, http.MethodPost, "/api/v1/sboms?"+q.Encode(), doc, http.StatusCreated, &out)
	return out, err
}

// PutContainers reports where images run.
func (c *Client) PutContainers(ctx context.Context, cs []store.Container) error {
	body, err := json.Marshal(map[string]any{"containers": cs})
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, "/api/v1/containers", body, http.StatusOK, nil)
}

// do sends a request and decodes a JSON answer; any other status than
// want is an error carrying the server's message.
func (c *Client) do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != want {
		var e struct {
			Error string `json:"error"`
		}
		se := &StatusError{Code: resp.StatusCode, Status: resp.Status}
		if json.Unmarshal(data, &e) == nil {
			se.Message = e.Error
		}
		return se
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("server answer: %w", err)
		}
	}
	return nil
}
