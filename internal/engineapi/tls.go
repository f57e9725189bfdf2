package engineapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TLS is how to speak TLS to a tcp:// engine, as the docker CLI takes it
// (--tlsverify, --tlscacert, --tlscert, --tlskey, or DOCKER_TLS_VERIFY and
// DOCKER_CERT_PATH). The engine's certificate is always verified: against
// CAFile when given, else the system roots. A client certificate is sent
// when CertFile and KeyFile are given, which is how a TLS engine socket
// authenticates its callers.
type TLS struct {
	// Enabled turns TLS on; the other fields are ignored without it.
	Enabled bool
	CAFile  string
	// CertFile and KeyFile are the client certificate and its key (PEM).
	CertFile, KeyFile string
}

// TLSFromEnv is the TLS the docker CLI would use from its environment:
// on when DOCKER_TLS_VERIFY is non-empty, with ca.pem, cert.pem and
// key.pem from DOCKER_CERT_PATH (default ~/.docker) when they exist.
func TLSFromEnv() TLS {
	if os.Getenv("DOCKER_TLS_VERIFY") == "" {
		return TLS{}
	}
	return TLS{Enabled: true}.WithDefaults()
}

// WithDefaults fills the files not given from DOCKER_CERT_PATH (default
// ~/.docker), each only when that file exists, as the docker CLI does.
func (t TLS) WithDefaults() TLS {
	dir := os.Getenv("DOCKER_CERT_PATH")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".docker")
		}
	}
	if dir == "" {
		return t
	}
	fill := func(f *string, name string) {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); *f == "" && err == nil {
			*f = p
		}
	}
	fill(&t.CAFile, "ca.pem")
	if t.CertFile == "" && t.KeyFile == "" {
		fill(&t.CertFile, "cert.pem")
		fill(&t.KeyFile, "key.pem")
	}
	return t
}

// config builds the client TLS configuration; serverName is the host the
// engine's certificate must name.
func (t TLS) config(serverName string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--tlscacert: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tlscacert %s: no PEM certificate in it", t.CAFile)
		}
		cfg.RootCAs = pool
	}
	switch {
	case t.CertFile != "" && t.KeyFile != "":
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("--tlscert/--tlskey: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	case t.CertFile != "" || t.KeyFile != "":
		return nil, errors.New("--tlscert and --tlskey go together")
	}
	return cfg, nil
}

// explainTLS turns a failed TLS handshake into what to do about it.
func (c *Client) explainTLS(err error) error {
	var verr *tls.CertificateVerificationError
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	switch {
	case errors.As(err, &herr):
		return fmt.Errorf("the engine's TLS certificate does not name the host of %s: %w", c.Host, err)
	case errors.As(err, &uerr) || errors.As(err, &verr):
		ca := "the system roots"
		if c.tls.CAFile != "" {
			ca = "--tlscacert " + c.tls.CAFile
		}
		return fmt.Errorf("the engine's TLS certificate is not trusted by %s: %w", ca, err)
	}
	return err
}
