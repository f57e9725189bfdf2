package trust

import (
	"crypto"
	"fmt"
	"os"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Key is a trusted public key and the name it is reported under.
type Key struct {
	Name     string
	verifier signature.Verifier
}

// LoadKey reads a PEM public key (cosign.pub: ECDSA, RSA or Ed25519) from
// path; name is how findings refer to it (the path when empty).
func LoadKey(name, path string) (Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Key{}, fmt.Errorf("key %s: %w", path, err)
	}
	k, err := ParseKey(name, data)
	if err != nil {
		return Key{}, fmt.Errorf("key %s: %w", path, err)
	}
	if k.Name == "" {
		k.Name = path
	}
	return k, nil
}

// ParseKey reads a PEM public key.
func ParseKey(name string, pemBytes []byte) (Key, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
	if err != nil {
		return Key{}, fmt.Errorf("not a PEM public key: %w", err)
	}
	if err := cryptoutils.ValidatePubKey(pub); err != nil {
		return Key{}, fmt.Errorf("unsupported public key: %w", err)
	}
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return Key{}, fmt.Errorf("public key: %w", err)
	}
	return Key{Name: name, verifier: v}, nil
}
