package engineapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The calls in this file serve `shipshape agent`, which follows an
// engine for hours: every container event (not only starts), container
// lists with labels and images, and image identities.

// Message is one event of GET /events as both engines send it. Docker
// fills Action, Podman's compatibility API also Status; Time is Unix
// seconds and TimeNano Unix nanoseconds (either may be 0).
type Message struct {
	Type     string
	Action   string
	Status   string `json:"status"`
	ID       string `json:"id"`
	Time     int64  `json:"time"`
	TimeNano int64  `json:"timeNano"`
	Actor    struct {
		ID         string
		Attributes map[string]string
	}
}

// ContainerID is the container the event is about.
func (m Message) ContainerID() string {
	if m.Actor.ID != "" {
		return m.Actor.ID
	}
	return m.ID
}

// Verb is the event's action, Status where an engine left Action empty.
// Docker suffixes some actions ("exec_start: sh"); the part before the
// colon is kept.
func (m Message) Verb() string {
	a := m.Action
	if a == "" {
		a = m.Status
	}
	a, _, _ = strings.Cut(a, ":")
	return strings.TrimSpace(a)
}

// When is the event's time, zero when the engine gave none.
func (m Message) When() time.Time {
	switch {
	case m.TimeNano > 0:
		return time.Unix(0, m.TimeNano)
	case m.Time > 0:
		return time.Unix(m.Time, 0)
	}
	return time.Time{}
}

// labelFilters is the Engine API filters parameter for containers
// carrying every label given ("key" or "key=value"), plus extra.
func labelFilters(labels []string, extra map[string][]string) string {
	f := map[string][]string{}
	for k, v := range extra {
		f[k] = v
	}
	if len(labels) > 0 {
		f["label"] = labels
	}
	if len(f) == 0 {
		return ""
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// Watch follows GET /events for container events of containers carrying
// every label given, and calls fn for each. connected is called once
// the engine has answered, so that a caller can take a full listing
// knowing no later event is missed. An event of an unexpected shape is
// skipped. Watch returns nil when ctx ends and an error when the stream
// breaks or carries something that is not JSON.
func (c *Client) Watch(ctx context.Context, labels []string, connected func(), fn func(Message)) error {
	c2 := *c
	tr := c.http.Transport.(*http.Transport).Clone()
	// The stream stays open for hours and the engine may say nothing for
	// as long; only the connection attempt is bounded.
	tr.ResponseHeaderTimeout = 30 * time.Second
	c2.http = &http.Client{Transport: tr}
	q := url.Values{"filters": {labelFilters(labels, map[string][]string{"type": {"container"}})}}
	resp, err := c2.do(ctx, http.MethodGet, "/events", q)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("engine events: %w", err)
	}
	defer resp.Body.Close()
	if connected != nil {
		connected()
	}
	dec := json.NewDecoder(resp.Body)
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("engine events: %w", err)
		}
		var m Message
		if json.Unmarshal(raw, &m) != nil {
			// A JSON value of another shape (a newer engine's event, a
			// field of another type) is skipped; the stream goes on.
			continue
		}
		fn(m)
	}
}

// Listed is one entry of GET /containers/json with the fields the agent
// reads.
type Listed struct {
	ID      string `json:"Id"`
	Names   []string
	Image   string
	ImageID string
	Labels  map[string]string
	State   string
}

// ListLabelled is GET /containers/json?all=1 for containers carrying
// every label given.
func (c *Client) ListLabelled(ctx context.Context, labels []string) ([]Listed, error) {
	q := url.Values{"all": {"1"}}
	if f := labelFilters(labels, nil); f != "" {
		q.Set("filters", f)
	}
	var out []Listed
	return out, c.getJSON(ctx, "/containers/json", q, &out)
}

// ImageIdentity is what GET /images/{id}/json says about an image's names.
type ImageIdentity struct {
	ID          string `json:"Id"`
	RepoTags    []string
	RepoDigests []string
}

// Image is GET /images/{name}/json.
func (c *Client) Image(ctx context.Context, name string) (ImageIdentity, error) {
	var out ImageIdentity
	return out, c.getJSON(ctx, "/images/"+url.PathEscape(name)+"/json", nil, &out)
}
