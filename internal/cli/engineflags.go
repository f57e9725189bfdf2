package cli

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
)

// engineFlags are how audit and agent reach an engine: --host and the
// docker CLI's TLS flags, read the same way by both.
type engineFlags struct {
	host           string
	tlsVerify      bool
	tlsCA, tlsCert string
	tlsKey         string
}

// registerTLS adds --tlsverify, --tlscacert, --tlscert and --tlskey; each
// command adds its own --host (the help differs).
func (ef *engineFlags) registerTLS(fl *pflag.FlagSet) {
	fl.BoolVar(&ef.tlsVerify, "tlsverify", false, "speak TLS to a tcp:// engine and verify its certificate (default: on when $DOCKER_TLS_VERIFY is set)")
	fl.StringVar(&ef.tlsCA, "tlscacert", "", "CA the engine's certificate must chain to (default: $DOCKER_CERT_PATH/ca.pem or ~/.docker/ca.pem when present, else the system roots)")
	fl.StringVar(&ef.tlsCert, "tlscert", "", "client certificate to present (default: cert.pem beside the CA when present)")
	fl.StringVar(&ef.tlsKey, "tlskey", "", "key of the client certificate (default: key.pem beside the CA when present)")
}

// hostOrDefault is --host, else $DOCKER_HOST, else the Docker socket.
func (ef *engineFlags) hostOrDefault() string {
	if ef.host != "" {
		return ef.host
	}
	return engineapi.DefaultHost()
}

// engineTLS is the TLS to speak to the engine with: the --tls* flags, else
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them.
// The flags make sense only for a tcp:// engine (a usage error otherwise).
func (ef *engineFlags) engineTLS() (engineapi.TLS, error) {
	host := ef.hostOrDefault()
	flags := ef.tlsVerify || ef.tlsCA != "" || ef.tlsCert != "" || ef.tlsKey != ""
	tcp := strings.HasPrefix(host, "tcp://")
	switch {
	case flags && !tcp:
		return engineapi.TLS{}, usageErr("--tlsverify, --tlscacert, --tlscert and --tlskey are for a tcp:// engine, not %s", host)
	case flags:
		return engineapi.TLS{Enabled: true, CAFile: ef.tlsCA, CertFile: ef.tlsCert, KeyFile: ef.tlsKey}.WithDefaults(), nil
	case tcp:
		return engineapi.TLSFromEnv(), nil
	}
	return engineapi.TLS{}, nil
}

// engineTLSHelp is the paragraph of audit's and agent's help on TLS.
const engineTLSHelp = `A tcp:// engine protected by TLS is reached as the docker CLI reaches it:
--tlsverify with --tlscacert, --tlscert and --tlskey, or DOCKER_TLS_VERIFY
and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem). The engine's certificate
is always verified; one the CA did not sign is exit 2.`
