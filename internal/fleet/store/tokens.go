package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Scopes a token may hold: ingest writes SBOMs and container records,
// read answers queries, admin does both and manages the server.
const (
	ScopeIngest = "ingest"
	ScopeRead   = "read"
	ScopeAdmin  = "admin"
)

// Token is an API token as stored: never its secret.
type Token struct {
	ID     int64
	Name   string
	Scopes []string
}

// Allows tells whether the token holds scope (admin holds every scope).
func (t Token) Allows(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope || s == ScopeAdmin {
			return true
		}
	}
	return false
}

// ParseScopes checks a comma list of scopes.
func ParseScopes(list []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			s = strings.TrimSpace(s)
			switch s {
			case "":
				continue
			case ScopeIngest, ScopeRead, ScopeAdmin:
			default:
				return nil, fmt.Errorf("unknown scope %q (want ingest, read or admin)", s)
			}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("a token needs at least one scope (ingest, read, admin)")
	}
	sort.Strings(out)
	return out, nil
}

// hashSecret is what the database keeps of a token: its SHA-256. The
// secrets are 256 random bits, so a fast hash is enough (no dictionary to
// guard against) and lets every request be checked by one index lookup.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenPrefix starts every secret shipshape makes, so that secret
// scanners can recognise a leaked one.
const TokenPrefix = "sst_"

// CreateToken makes a token with a new random secret and returns the
// secret, which is shown once and never stored.
func (s *Store) CreateToken(ctx context.Context, name string, scopes []string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("token secret: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, s.PutToken(ctx, name, secret, scopes)
}

// PutToken stores a token with a given secret (the bootstrap token); a
// secret already stored is left as it is.
func (s *Store) PutToken(ctx context.Context, name, secret string, scopes []string) error {
	if len(secret) < 16 {
		return fmt.Errorf("token secret too short (at least 16 characters)")
	}
	sc, err := ParseScopes(scopes)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.rebind(`INSERT INTO tokens (name, scopes, hash, created) VALUES (?, ?, ?, ?)
	ON CONFLICT (hash) DO NOTHING`), name, strings.Join(sc, ","), hashSecret(secret), s.now().Unix())
	if err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

// TokenBySecret returns the token a bearer secret belongs to, ErrNotFound
// when none.
func (s *Store) TokenBySecret(ctx context.Context, secret string) (Token, error) {
	var t Token
	var scopes string
	// Every request looks its token up: the statement is prepared once.
	st, err := s.stmt(ctx, s.rebind("SELECT id, name, scopes FROM tokens WHERE hash = ?"))
	if err != nil {
		return Token{}, fmt.Errorf("token: %w", err)
	}
	err = st.QueryRowContext(ctx, hashSecret(secret)).Scan(&t.ID, &t.Name, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("token: %w", err)
	}
	t.Scopes = strings.Split(scopes, ",")
	return t, nil
}
