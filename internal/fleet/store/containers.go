package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Container is a record of where an image runs, as an agent or `shipshape
// push` reports it.
type Container struct {
	Host           string `json:"host"`
	ContainerID    string `json:"containerId"`
	Name           string `json:"name,omitempty"`
	ImageDigest    string `json:"imageDigest"`
	ImageRef       string `json:"imageRef,omitempty"`
	ComposeProject string `json:"composeProject,omitempty"`
	ComposeService string `json:"composeService,omitempty"`
	// Started and Stopped are Unix seconds; Stopped is 0 while it runs.
	Started int64 `json:"started,omitempty"`
	Stopped int64 `json:"stopped,omitempty"`
}

// Validate says what is wrong with a container record.
func (c Container) Validate() error {
	switch {
	case strings.TrimSpace(c.Host) == "":
		return fmt.Errorf("container record without host")
	case strings.TrimSpace(c.ContainerID) == "":
		return fmt.Errorf("container record without containerId")
	case !ValidDigest(c.ImageDigest):
		return fmt.Errorf("container %s: imageDigest %q is not sha256:<64 lower-case hex>", c.ContainerID, c.ImageDigest)
	case c.Stopped < 0 || c.Started < 0:
		return fmt.Errorf("container %s: negative time", c.ContainerID)
	}
	return nil
}

// PutContainers records containers (one transaction): a container seen
// again (same host and id) is updated, so that a stop replaces the start.
// A container may name a digest the fleet has no SBOM of yet; it is
// linked as soon as that image is ingested.
func (s *Store) PutContainers(ctx context.Context, cs []Container) error {
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin containers: %w", err)
	}
	defer tx.Rollback()
	now := s.now().Unix()
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO containers
		(host, container_id, name, image_digest, image_ref, compose_project, compose_service, started, stopped, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (host, container_id) DO UPDATE SET name = excluded.name, image_digest = excluded.image_digest,
		image_ref = excluded.image_ref, compose_project = excluded.compose_project, compose_service = excluded.compose_service,
		started = excluded.started, stopped = excluded.stopped, updated = excluded.updated`),
			c.Host, c.ContainerID, c.Name, c.ImageDigest, c.ImageRef, c.ComposeProject, c.ComposeService, c.Started, c.Stopped, now); err != nil {
			return fmt.Errorf("store container %s: %w", c.ContainerID, err)
		}
	}
	if err := s.bump(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) containersWhere(ctx context.Context, where string, args ...any) ([]Container, error) {
	rows, err := s.queryPrepared(ctx, `SELECT host, container_id, name, image_digest, image_ref, compose_project,
	compose_service, started, stopped FROM containers WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("containers: %w", err)
	}
	defer rows.Close()
	var out []Container
	for rows.Next() {
		var c Container
		if err := rows.Scan(&c.Host, &c.ContainerID, &c.Name, &c.ImageDigest, &c.ImageRef, &c.ComposeProject,
			&c.ComposeService, &c.Started, &c.Stopped); err != nil {
			return nil, fmt.Errorf("containers: %w", err)
		}
		out = append(out, c)
	}
	// Sorted here, not by ORDER BY: SQLite's sorter maps and unmaps a
	// buffer per statement, which cost more than the query.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ContainerID < b.ContainerID
	})
	return out, rows.Err()
}

// AuditEntry is one write the server accepted or refused.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Token  string    `json:"token"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Detail string    `json:"detail,omitempty"`
}

// Audit records a write.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	st, err := s.stmt(ctx, s.rebind(`INSERT INTO audit (at, token_name, method, path, status, detail) VALUES (?, ?, ?, ?, ?, ?)`))
	if err == nil {
		_, err = st.ExecContext(ctx, e.At.Unix(), e.Token, e.Method, e.Path, e.Status, e.Detail)
	}
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog returns the newest audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT at, token_name, method, path, status, detail FROM audit ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Token, &e.Method, &e.Path, &e.Status, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
