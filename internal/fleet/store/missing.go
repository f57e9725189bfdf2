package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// MaxDigestQuery bounds the digests of one MissingDigests call.
const MaxDigestQuery = 1000

// MissingDigests returns, sorted, the digests among ds that the fleet
// holds no SBOM of: what an agent asks before it scans an image it saw
// running, so that an image is exported and catalogued once for the
// whole fleet, not once per host.
func (s *Store) MissingDigests(ctx context.Context, ds []string) ([]string, error) {
	want := map[string]bool{}
	for _, d := range ds {
		if !ValidDigest(d) {
			return nil, fmt.Errorf("digest %q is not sha256:<64 lower-case hex>", d)
		}
		want[d] = true
	}
	if len(want) == 0 {
		return []string{}, nil
	}
	if len(want) > MaxDigestQuery {
		return nil, fmt.Errorf("ask about at most %d digests, got %d", MaxDigestQuery, len(want))
	}
	args := make([]any, 0, len(want))
	for d := range want {
		args = append(args, d)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT digest FROM images WHERE digest IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("known digests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("known digests: %w", err)
		}
		delete(want, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("known digests: %w", err)
	}
	out := make([]string, 0, len(want))
	for d := range want {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

// ContainersOf returns every container record of an image digest,
// stopped ones included, whether or not the fleet has the image's SBOM.
func (s *Store) ContainersOf(ctx context.Context, digest string) ([]Container, error) {
	return s.containersWhere(ctx, "image_digest = ?", digest)
}
