package cachekey

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Of returns the key of one declaration: name, "-", and the first 16 hex
// digits of the SHA-256 of decl's JSON encoding. decl holds only data
// (strings, numbers, booleans, slices and structs of them); a field JSON
// skips (unexported, a func, `json:"-"`) does not take part. Of panics when
// decl cannot be encoded, a programming error that every test reaching it
// reports.
func Of(name string, decl any) string {
	b, err := json.Marshal(decl)
	if err != nil {
		panic(fmt.Sprintf("cachekey: declaration %s: %v", name, err))
	}
	h := sha256.Sum256(b)
	return name + "-" + hex.EncodeToString(h[:8])
}

// Join combines the keys of several declarations, skipping empty ones.
func Join(keys ...string) string {
	var out []string
	for _, k := range keys {
		if k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, "+")
}
