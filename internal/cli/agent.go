package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/client"
)

func newAgentCmd(e *env) *cobra.Command {
	var serverURL, tokenFile, name, tmp string
	var ef engineFlags
	var labels []string
	var resync time.Duration
	var noScan, debug bool
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Report which images run where on a Docker or Podman engine to a fleet server",
		Long: `Watch a Docker or Podman Engine API and tell the fleet server (--server) which
image digests run where: the host (the engine's name, or --name), each
container's name and id, its compose project and service, and when it started
and stopped. The agent follows the engine's events and takes a full listing
at start, after each reconnection and every --resync interval; it reconnects
with backoff when the engine's event stream breaks and keeps records the
server did not take until it does.

An image the server holds no SBOM of is exported through the same engine,
catalogued like 'shipshape sbom docker:IMAGE' and uploaded like 'shipshape
push', once per digest (--no-scan turns this off). Images are named by the
registry digest the engine records (the one they were pulled by), else by
their image ID.

The engine is reached over a unix socket, plain tcp:// or TLS; every call
(events, listings, inspects and image exports) goes over the same
connection settings.

` + engineTLSHelp + `

The token (--token-file, else $SHIPSHAPE_TOKEN) needs the ingest scope.
The engine must answer at start (exit 2 otherwise); SIGINT or SIGTERM stops
the agent after it sent what it holds (exit 0).`,
		Example: `  SHIPSHAPE_TOKEN=sst_… shipshape agent --server http://fleet.example:8080
  shipshape agent --server https://fleet.example:8443 --token-file /run/secrets/shipshape-token \
      --host unix:///run/podman/podman.sock --resync 10m
  shipshape agent --server http://127.0.0.1:8080 --host tcp://10.0.0.5:2375 --name build-host-5
  shipshape agent --server https://fleet.example:8443 --host tcp://10.0.0.5:2376 \
      --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem
  DOCKER_HOST=tcp://10.0.0.5:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=~/.docker/prod \
      shipshape agent --server https://fleet.example:8443
  shipshape agent --server http://127.0.0.1:8080 --label com.docker.compose.project=shop`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			token := os.Getenv(EnvToken)
			if tokenFile != "" {
				data, err := os.ReadFile(tokenFile)
				if err != nil {
					return usageErr("--token-file: %v", err)
				}
				token = strings.TrimSpace(string(data))
			}
			if resync < 10*time.Second {
				return usageErr("--resync %s is too short (at least 10s)", resync)
			}
			fc, err := client.New(serverURL, token, &http.Client{Timeout: 5 * time.Minute})
			if err != nil {
				return usageErr("%v", err)
			}
			host := ef.hostOrDefault()
			tlsc, err := ef.engineTLS()
			if err != nil {
				return err
			}
			ec, err := engineapi.New(host, tlsc)
			if err != nil {
				return usageErr("--host: %v", err)
			}
			if _, err := ec.Ping(e.ctx); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			level := slog.LevelInfo
			if debug {
				level = slog.LevelDebug
			}
			log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
			a, err := agent.New(agent.Options{
				Engine: ec, Fleet: fc, HostName: name, Labels: labels, Resync: resync, NoScan: noScan, Log: log,
				Scan: agent.EngineScanner(ec, tmp, e.build.Version),
			})
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if err := a.Run(e.ctx); err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("agent: %w", err)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&serverURL, "server", "", "fleet server URL, http(s)://host:port (required)")
	fl.StringVar(&ef.host, "host", "", "engine API address, unix:///… or tcp://… (default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
	ef.registerTLS(fl)
	fl.StringVar(&tokenFile, "token-file", "", "file holding the API token (ingest scope; default: $"+EnvToken+")")
	fl.DurationVar(&resync, "resync", agent.DefaultResync, "interval of full listings besides the event stream")
	fl.StringVar(&name, "name", "", "host name to report (default: the engine's name)")
	fl.StringArrayVar(&labels, "label", nil, "only containers with this label, key or key=value (repeatable)")
	fl.BoolVar(&noScan, "no-scan", false, "report containers only; never export and upload an image's SBOM")
	fl.StringVar(&tmp, "tmp", "", "directory to spool image exports in (default: the system's)")
	fl.BoolVar(&debug, "debug", false, "log every batch and resync")
	return cmd
}
