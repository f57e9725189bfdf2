package imageread

import (
	"io"
	"log"

	"github.com/google/go-containerregistry/pkg/authn"
)

func nilLogger() *log.Logger { return log.New(io.Discard, "", 0) }

func defaultKeychain() authn.Keychain { return authn.DefaultKeychain }
