package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/openvex/go-vex/pkg/vex"
)

// VEXStatement is one stored OpenVEX statement, reduced to what the fleet
// applies: an advisory, where it applies (one image, or everywhere when
// ImageDigest is empty; one package, or every package when Package is
// empty) and the verdict. Statements are kept apart from the matches, so
// that a re-match after a database update (which replaces the matches)
// leaves the triage in force.
type VEXStatement struct {
	ID       int64  `json:"id,omitempty"`
	Advisory string `json:"advisory"`
	// ImageDigest limits the statement to one image; "" applies it to the
	// whole fleet.
	ImageDigest string `json:"imageDigest,omitempty"`
	// Package limits the statement to packages with this package URL
	// (compared without qualifiers; a purl without version names every
	// version); "" means every package the advisory affects.
	Package         string `json:"package,omitempty"`
	Status          string `json:"status"`
	Justification   string `json:"justification,omitempty"`
	ImpactStatement string `json:"impactStatement,omitempty"`
	ActionStatement string `json:"actionStatement,omitempty"`
	Author          string `json:"author,omitempty"`
	DocumentID      string `json:"documentId,omitempty"`
	// Created is when the statement was made (Unix seconds): the
	// statement's timestamp, else its document's. The newest applicable
	// statement is the one in force.
	Created int64 `json:"created"`
}

// Triage is the VEX statement in force for one match.
type Triage struct {
	Status          string `json:"status"`
	Justification   string `json:"justification,omitempty"`
	ImpactStatement string `json:"impactStatement,omitempty"`
	Author          string `json:"author,omitempty"`
	// Scope is "image" for a statement about this image, "fleet" for one
	// about every image.
	Scope   string `json:"scope"`
	Created int64  `json:"created"`
}

// Suppresses tells whether the triage takes the match out of the
// affected answers: a not_affected verdict does, the others (affected,
// fixed, under_investigation) are shown beside the match.
func (t *Triage) Suppresses() bool { return t != nil && t.Status == string(vex.StatusNotAffected) }

// MaxVEXStatements bounds the rows one OpenVEX document may expand to.
const MaxVEXStatements = 10000

// ParseOpenVEX reads an OpenVEX JSON document (github.com/openvex/go-vex)
// into statements the fleet stores. Each product becomes a scope: an image
// when it names an image digest (sha256:…, a pkg:oci purl with the digest
// as version, or a reference ending @sha256:…), with its subcomponents as
// packages; the whole fleet when it names a package by purl. now is the
// time given to statements and documents without a timestamp.
func ParseOpenVEX(data []byte, now int64) ([]VEXStatement, error) {
	doc, err := vex.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not an OpenVEX document: %w", err)
	}
	if len(doc.Statements) == 0 {
		return nil, fmt.Errorf("the OpenVEX document has no statements")
	}
	var out []VEXStatement
	for i := range doc.Statements {
		st := &doc.Statements[i]
		if err := st.Validate(); err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		name := strings.ToUpper(strings.TrimSpace(string(st.Vulnerability.Name)))
		if name == "" {
			name = strings.ToUpper(strings.TrimSpace(st.Vulnerability.ID))
		}
		if name == "" || len(name) > 200 {
			return nil, fmt.Errorf("statement %d: the vulnerability needs a name (CVE, GHSA, …)", i+1)
		}
		created := now
		switch {
		case st.Timestamp != nil:
			created = st.Timestamp.Unix()
		case doc.Timestamp != nil:
			created = doc.Timestamp.Unix()
		}
		if len(st.Products) == 0 {
			return nil, fmt.Errorf("statement %d (%s): no products: name an image digest or a package URL", i+1, name)
		}
		base := VEXStatement{Advisory: name, Status: string(st.Status), Justification: string(st.Justification),
			ImpactStatement: st.ImpactStatement, ActionStatement: st.ActionStatement, Author: doc.Author,
			DocumentID: doc.ID, Created: created}
		for _, p := range st.Products {
			digest, pkg, err := productScope(p.Component)
			if err != nil {
				return nil, fmt.Errorf("statement %d (%s): %w", i+1, name, err)
			}
			if digest == "" || len(p.Subcomponents) == 0 {
				v := base
				v.ImageDigest, v.Package = digest, pkg
				out = append(out, v)
				continue
			}
			for _, sc := range p.Subcomponents {
				sd, spkg, err := productScope(sc.Component)
				if err != nil || sd != "" {
					return nil, fmt.Errorf("statement %d (%s): a subcomponent must name a package by purl", i+1, name)
				}
				v := base
				v.ImageDigest, v.Package = digest, spkg
				out = append(out, v)
			}
		}
		if len(out) > MaxVEXStatements {
			return nil, fmt.Errorf("the document expands to more than %d statements", MaxVEXStatements)
		}
	}
	return out, nil
}

// productScope reads what a product or subcomponent names: an image digest
// or a package URL.
func productScope(c vex.Component) (digest, pkg string, err error) {
	ids := []string{c.ID}
	if p := c.Identifiers[vex.PURL]; p != "" {
		ids = append(ids, p)
	}
	if h := c.Hashes[vex.SHA256]; h != "" {
		ids = append(ids, "sha256:"+string(h))
	}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		switch {
		case id == "":
			continue
		case ValidDigest(id):
			return id, "", nil
		case strings.HasPrefix(id, "pkg:oci/"):
			if d := purlVersion(id); ValidDigest(d) {
				return d, "", nil
			}
			return "", "", fmt.Errorf("product %q: a pkg:oci purl needs the image digest as its version", id)
		case strings.HasPrefix(id, "pkg:"):
			return "", id, nil
		default:
			if at := strings.LastIndex(id, "@"); at > 0 && ValidDigest(id[at+1:]) {
				return id[at+1:], "", nil
			}
		}
	}
	return "", "", fmt.Errorf("product %q names neither an image digest (sha256:…, pkg:oci/…@sha256:…) nor a package URL", c.ID)
}

// purlVersion returns the unescaped version of a package URL, "" when it
// has none.
func purlVersion(purl string) string {
	p := purlBase(purl)
	at := strings.LastIndexByte(p, '@')
	if at < 0 {
		return ""
	}
	v, err := url.PathUnescape(p[at+1:])
	if err != nil {
		return p[at+1:]
	}
	return v
}

// purlBase strips qualifiers and subpath from a package URL.
func purlBase(purl string) string {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		return purl[:i]
	}
	return purl
}

// purlMatches tells whether a statement's package URL names the stored
// package: equal without qualifiers (unescaped), or, when the statement
// gives no version, equal up to the version.
func purlMatches(stmt, stored string) bool {
	a, b := unescape(purlBase(stmt)), unescape(purlBase(stored))
	if a == b {
		return true
	}
	if strings.Contains(a[strings.LastIndexByte(a, '/')+1:], "@") {
		return false
	}
	if at := strings.LastIndexByte(b, '@'); at > 0 {
		return a == b[:at]
	}
	return false
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return strings.ToLower(u)
	}
	return strings.ToLower(s)
}

// PutVEX stores statements (one transaction).
func (s *Store) PutVEX(ctx context.Context, stmts []VEXStatement) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin VEX: %w", err)
	}
	defer tx.Rollback()
	now := s.now().Unix()
	for _, v := range stmts {
		var img any
		if v.ImageDigest != "" {
			img = v.ImageDigest
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO vex (advisory, image_digest, package_purl, status, justification,
		impact_statement, action_statement, author, document_id, created, stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			strings.ToUpper(v.Advisory), img, v.Package, v.Status, v.Justification, v.ImpactStatement, v.ActionStatement,
			v.Author, v.DocumentID, v.Created, now); err != nil {
			return fmt.Errorf("store VEX statement %s: %w", v.Advisory, err)
		}
	}
	if err := s.bump(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// VEXStatements returns the stored statements about any of the advisory
// names (all statements when names is empty), newest first.
func (s *Store) VEXStatements(ctx context.Context, names ...string) ([]VEXStatement, error) {
	where, args := "", []any{}
	if len(names) > 0 {
		where = " WHERE advisory IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
		for _, n := range names {
			args = append(args, strings.ToUpper(n))
		}
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT id, advisory, image_digest, package_purl, status, justification,
	impact_statement, action_statement, author, document_id, created FROM vex`+where+` ORDER BY created DESC, id DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("VEX statements: %w", err)
	}
	defer rows.Close()
	out := []VEXStatement{}
	for rows.Next() {
		var v VEXStatement
		var img sql.NullString
		if err := rows.Scan(&v.ID, &v.Advisory, &img, &v.Package, &v.Status, &v.Justification, &v.ImpactStatement,
			&v.ActionStatement, &v.Author, &v.DocumentID, &v.Created); err != nil {
			return nil, fmt.Errorf("VEX statements: %w", err)
		}
		v.ImageDigest = img.String
		out = append(out, v)
	}
	return out, rows.Err()
}

// triager decides the statement in force for matches of a set of
// advisories.
type triager struct {
	// names maps an advisory id to every name it goes by (its id and
	// aliases, upper-cased).
	names map[string][]string
	// byName holds the statements per advisory name, newest first.
	byName map[string][]VEXStatement
}

// newTriager loads the statements about the advisories ids under any of
// their names; nil when there are none (the common case costs one query).
func (s *Store) newTriager(ctx context.Context, ids []string) (*triager, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var first int64
	err := s.db.QueryRowContext(ctx, "SELECT id FROM vex LIMIT 1").Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("VEX: %w", err)
	}
	t := &triager{names: map[string][]string{}, byName: map[string][]VEXStatement{}}
	uniq := map[string]bool{}
	var all []string
	add := func(id, name string) {
		name = strings.ToUpper(name)
		for _, have := range t.names[id] {
			if have == name {
				return
			}
		}
		t.names[id] = append(t.names[id], name)
		if !uniq[name] {
			uniq[name] = true
			all = append(all, name)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
			add(id, id)
		}
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT advisory_id, alias FROM advisory_aliases WHERE advisory_id IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("VEX aliases: %w", err)
		}
		for rows.Next() {
			var id, alias string
			if err := rows.Scan(&id, &alias); err != nil {
				rows.Close()
				return nil, fmt.Errorf("VEX aliases: %w", err)
			}
			add(id, alias)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("VEX aliases: %w", err)
		}
	}
	for start := 0; start < len(all); start += 500 {
		stmts, err := s.VEXStatements(ctx, all[start:min(start+500, len(all))]...)
		if err != nil {
			return nil, err
		}
		for _, v := range stmts {
			t.byName[v.Advisory] = append(t.byName[v.Advisory], v)
		}
	}
	for name := range t.byName {
		sort.SliceStable(t.byName[name], func(i, j int) bool {
			a, b := t.byName[name][i], t.byName[name][j]
			if a.Created != b.Created {
				return a.Created > b.Created
			}
			return a.ID > b.ID
		})
	}
	return t, nil
}

// decide returns the triage in force for advisory id matched in package
// purl of image digest: the newest statement about any name of the
// advisory that applies to that image (or everywhere) and that package
// (or every package); nil when none does.
func (t *triager) decide(id, digest, purl string) *Triage {
	if t == nil {
		return nil
	}
	var best *VEXStatement
	for _, name := range t.names[id] {
		for i := range t.byName[name] {
			v := &t.byName[name][i]
			if v.ImageDigest != "" && v.ImageDigest != digest {
				continue
			}
			if v.Package != "" && !purlMatches(v.Package, purl) {
				continue
			}
			if best == nil || v.Created > best.Created || v.Created == best.Created && v.ID > best.ID {
				best = v
			}
			break // newest first: the first that applies is the newest of this name
		}
	}
	if best == nil {
		return nil
	}
	scope := "fleet"
	if best.ImageDigest != "" {
		scope = "image"
	}
	return &Triage{Status: best.Status, Justification: best.Justification, ImpactStatement: best.ImpactStatement,
		Author: best.Author, Scope: scope, Created: best.Created}
}

// apply marks the affected packages of an answer with the triage in
// force and moves the images whose every affected package is triaged
// not_affected from Images to Suppressed. A nil triager (no statement
// about the advisories) leaves the answer as it is.
func (t *triager) apply(a *Affected) {
	if t == nil {
		return
	}
	kept := a.Images[:0]
	for _, im := range a.Images {
		open := 0
		for i := range im.Packages {
			p := &im.Packages[i]
			p.VEX = t.decide(p.Advisory, im.Digest, p.PURL)
			p.Suppressed = p.VEX.Suppresses()
			if !p.Suppressed {
				open++
			}
		}
		if open == 0 && len(im.Packages) > 0 {
			a.Suppressed = append(a.Suppressed, im)
			continue
		}
		kept = append(kept, im)
	}
	a.Images = kept
}

// markVEX marks an image's vulnerabilities with the triage in force.
func (s *Store) markVEX(ctx context.Context, digest string, vs []AffectedPackage) error {
	seen := map[string]bool{}
	var ids []string
	for _, v := range vs {
		if !seen[v.Advisory] {
			seen[v.Advisory] = true
			ids = append(ids, v.Advisory)
		}
	}
	t, err := s.newTriager(ctx, ids)
	if err != nil || t == nil {
		return err
	}
	for i := range vs {
		vs[i].VEX = t.decide(vs[i].Advisory, digest, vs[i].PURL)
		vs[i].Suppressed = vs[i].VEX.Suppresses()
	}
	return nil
}
