package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// PackageQuery selects package versions: a name, optionally an ecosystem
// type and a version range such as ">=3.0.0, <3.0.12" (comparisons
// joined by commas, all of which must hold), compared by the ecosystem's
// own version ordering.
type PackageQuery struct {
	Name     string
	Type     string
	Versions string
}

// constraint is one comparison of a version range.
type constraint struct {
	op, version string
}

// ParseRange parses a version range; an empty string allows every version.
func ParseRange(r string) ([]constraint, error) {
	var out []constraint
	for _, part := range strings.Split(r, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		op := ""
		for _, o := range []string{">=", "<=", "!=", "==", ">", "<", "="} {
			if strings.HasPrefix(part, o) {
				op = o
				break
			}
		}
		v := strings.TrimSpace(strings.TrimPrefix(part, op))
		if op == "" {
			op = "="
		}
		if v == "" {
			return nil, fmt.Errorf("version range %q: %q names no version", r, part)
		}
		out = append(out, constraint{op, v})
	}
	return out, nil
}

func (c constraint) holds(cmp vuln.Comparer, v string) (bool, error) {
	n, err := cmp.Compare(v, c.version)
	if err != nil {
		return false, err
	}
	switch c.op {
	case ">=":
		return n >= 0, nil
	case "<=":
		return n <= 0, nil
	case ">":
		return n > 0, nil
	case "<":
		return n < 0, nil
	case "!=":
		return n != 0, nil
	}
	return n == 0, nil
}

// PackageImages is a package version with the images holding it.
type PackageImages struct {
	PackageRef
	Distro string         `json:"distro,omitempty"`
	Images []ImageSummary `json:"images"`
}

// ImagesWithPackage returns the package versions q selects, each with the
// images that hold it (at most MaxPage images in all). A version that the
// ecosystem's ordering cannot parse is left out when a range is given.
func (s *Store) ImagesWithPackage(ctx context.Context, q PackageQuery) ([]PackageImages, error) {
	cons, err := ParseRange(q.Versions)
	if err != nil {
		return nil, err
	}
	where, args := "name = ?", []any{q.Name}
	if q.Type != "" {
		where, args = where+" AND type = ?", append(args, q.Type)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT id, type, name, version, purl, distro_id, distro_version FROM packages
	WHERE `+where+` ORDER BY type, version, distro_id, distro_version`), args...)
	if err != nil {
		return nil, fmt.Errorf("packages: %w", err)
	}
	var pkgs []PackageImages
	var ids []int64
	for rows.Next() {
		var p PackageImages
		var id int64
		var dID, dVer string
		if err := rows.Scan(&id, &p.Type, &p.Name, &p.Version, &p.PURL, &dID, &dVer); err != nil {
			rows.Close()
			return nil, fmt.Errorf("packages: %w", err)
		}
		ok := true
		if cmp := vuln.ComparerFor(p.Type); len(cons) > 0 {
			for _, c := range cons {
				if cmp == nil {
					ok = false
					break
				}
				if hold, err := c.holds(cmp, p.Version); err != nil || !hold {
					ok = false
					break
				}
			}
		}
		if ok {
			p.Distro = strings.TrimSuffix(dID+"-"+dVer, "-")
			p.Images = []ImageSummary{}
			pkgs = append(pkgs, p)
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("packages: %w", err)
	}
	if len(ids) == 0 {
		return []PackageImages{}, nil
	}
	pairs, err := s.holdingPairs(ctx, ids, MaxPage)
	if err != nil {
		return nil, fmt.Errorf("package images: %w", err)
	}
	byPkg := map[int64][]int64{}
	images := map[int64]bool{}
	for _, pr := range pairs {
		byPkg[pr[0]] = append(byPkg[pr[0]], pr[1])
		images[pr[1]] = true
	}
	if len(images) == 0 {
		return pkgs, nil
	}
	sums, err := s.summaries(ctx, sortedKeys(images))
	if err != nil {
		return nil, err
	}
	byImage := map[int64]ImageSummary{}
	for _, sum := range sums {
		byImage[sum.ID] = sum.ImageSummary
	}
	for i, id := range ids {
		for _, iid := range byPkg[id] {
			pkgs[i].Images = append(pkgs[i].Images, byImage[iid])
		}
	}
	return pkgs, nil
}
