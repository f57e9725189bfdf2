package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// EnvBootstrapToken names the variable whose value becomes an admin token
// at server start (tests and automation).
const EnvBootstrapToken = "SHIPSHAPE_BOOTSTRAP_TOKEN"

// fleetDB holds the flags that choose the fleet database.
type fleetDB struct {
	data, database string
}

func (f *fleetDB) register(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&f.data, "data", "", "directory of the embedded SQLite database (default: $XDG_DATA_HOME/shipshape/fleet)")
	cmd.PersistentFlags().StringVar(&f.database, "database", "", "PostgreSQL URL (postgres://user:pass@host/db) instead of --data")
}

// open opens the database the flags name.
func (f *fleetDB) open(ctx context.Context) (*store.Store, string, error) {
	if f.database != "" && f.data != "" {
		return nil, "", usageErr("--data and --database exclude each other")
	}
	if f.database != "" {
		if !store.IsPostgres(f.database) {
			return nil, "", usageErr("--database wants a postgres:// URL (use --data DIR for SQLite)")
		}
		s, err := store.OpenPostgres(ctx, f.database)
		if err != nil {
			return nil, "", &exitError{code: ExitError, err: fmt.Errorf("fleet database: %w", err)}
		}
		return s, "PostgreSQL", nil
	}
	dir := f.data
	if dir == "" {
		base := os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return nil, "", usageErr("no --data directory and no home directory: %v", err)
			}
			base = filepath.Join(home, ".local", "share")
		}
		dir = filepath.Join(base, "shipshape", "fleet")
	}
	path := filepath.Join(dir, "fleet.db")
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		return nil, "", &exitError{code: ExitError, err: fmt.Errorf("fleet database: %w", err)}
	}
	return s, path, nil
}

func newServerCmd(e *env) *cobra.Command {
	var db fleetDB
	var listen, vulnDB, cert, key string
	var maxBody int64
	var webhooks []string
	var noWorkers bool
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Serve the fleet API: every image's SBOM, where it runs, which vulnerabilities hit it",
		Long: `Run the fleet server. It stores the SBOMs pushed to it (CycloneDX JSON or XML,
SPDX JSON, including Syft's and Trivy's), packages once per version, linked
to the images that hold them; it matches each package version once against
the vulnerability database (--vuln-db, the file 'shipshape db import|update'
writes; after an update only packages whose advisories changed are matched
again) and answers which images and running containers a vulnerability
affects.

Background jobs (matching passes, webhook notifications, server-side scans)
are queued in the same database (River) and run by workers in this process,
or, with --no-workers, by 'shipshape worker' processes. With --webhook URL,
running containers newly affected by an advisory raise a JSON POST, retried
with backoff until the receiver accepts it.

Storage is an embedded SQLite database in --data DIR, or PostgreSQL with
--database postgres://… (the same schema, migrated at start).

Every API endpoint needs a bearer token with a scope (ingest, read, admin);
create tokens with 'shipshape server token create'. SHIPSHAPE_BOOTSTRAP_TOKEN,
when set, becomes an admin token at start. /healthz and /readyz are open.
The web UI is at /ui/ (dashboard, CVE search, image pages, package search):
log in once with a token holding the read scope.

Endpoints:
  POST /api/v1/sboms?image=REF&digest=sha256:…   upload an SBOM (ingest)
  POST /api/v1/sboms/missing                     which digests have no SBOM yet (ingest)
  POST /api/v1/containers                        where images run (ingest)
  POST /api/v1/images {"ref": "…"}               scan an image in a registry or engine, as a job (ingest)
  GET  /api/v1/jobs/{id}                         a job's state, errors and output (read)
  GET  /api/v1/vulnerabilities/{id}/affected     images and containers a CVE/GHSA/GO-/… affects (read)
  GET  /api/v1/packages?name=&type=&versions=    images holding a package (read)
  GET  /api/v1/images/{digest}                   one image: packages, vulnerabilities, containers (read)
  GET  /api/v1/audit                             the audit log of writes (admin)
  GET  /metrics                                  Prometheus metrics (read)

SIGINT or SIGTERM shuts it down gracefully: requests in flight finish.`,
		Example: `  shipshape server --data /var/lib/shipshape --vuln-db /var/cache/shipshape/vuln.db
  shipshape server --database postgres://shipshape@db/shipshape --listen 0.0.0.0:8443 \
      --tls-cert cert.pem --tls-key key.pem
  SHIPSHAPE_BOOTSTRAP_TOKEN=$(openssl rand -hex 32) shipshape server
  shipshape server --database postgres://shipshape@db/shipshape --no-workers   # plus 'shipshape worker' processes
  shipshape server --webhook https://hooks.example/shipshape
  curl -H "Authorization: Bearer $TOKEN" --data-binary @sbom.cdx.json \
      "http://127.0.0.1:8080/api/v1/sboms?image=shop/api:1.4&digest=sha256:…"
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/vulnerabilities/CVE-2024-3094/affected
  curl -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary @triage.openvex.json http://127.0.0.1:8080/api/v1/vex`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServer(e, &db, listen, vulnDB, server.TLS{CertFile: cert, KeyFile: key}, maxBody, webhooks, noWorkers)
		},
	}
	db.register(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringVar(&vulnDB, "vuln-db", "", "vulnerability database (default: the one 'shipshape db' writes, when it exists)")
	cmd.Flags().StringVar(&cert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key serves HTTPS")
	cmd.Flags().StringVar(&key, "tls-key", "", "TLS private key file (PEM)")
	cmd.Flags().Int64Var(&maxBody, "max-body", server.DefaultMaxBody, "largest request body accepted, in bytes")
	cmd.Flags().StringArrayVar(&webhooks, "webhook", nil, "URL to POST a JSON notification to when running containers are newly affected by an advisory (repeatable)")
	cmd.Flags().BoolVar(&noWorkers, "no-workers", false, "only queue jobs; 'shipshape worker' processes run them")
	cmd.AddCommand(newServerTokenCmd(e, &db))
	return cmd
}

func runServer(e *env, db *fleetDB, listen, vulnDB string, t server.TLS, maxBody int64, webhooks []string, noWorkers bool) error {
	if (t.CertFile == "") != (t.KeyFile == "") {
		return usageErr("--tls-cert and --tls-key go together")
	}
	if err := checkWebhooks(webhooks); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	vulnDB, err := resolveVulnDB(vulnDB)
	if err != nil {
		return err
	}
	if vulnDB == "" {
		log.Warn("no vulnerability database (run 'shipshape db import' or pass --vuln-db): SBOMs are stored but not matched")
	}
	st, where, err := db.open(e.ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if secret := os.Getenv(EnvBootstrapToken); secret != "" {
		if err := st.PutToken(e.ctx, "bootstrap", secret, []string{store.ScopeAdmin}); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("%s: %w", EnvBootstrapToken, err)}
		}
	}
	srv, err := server.New(server.Options{Store: st, VulnDB: vulnDB, Log: log, MaxBody: maxBody, Webhooks: webhooks, NoWorkers: noWorkers})
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("--listen: %w", err)}
	}
	log.Info("fleet database", "at", where)
	if err := srv.Serve(e.ctx, ln, t); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	return nil
}

func newServerTokenCmd(e *env, db *fleetDB) *cobra.Command {
	tok := &cobra.Command{
		Use:     "token",
		Short:   "Manage the fleet server's API tokens",
		Example: `  shipshape server token create --scope ingest --name ci --data /var/lib/shipshape`,
	}
	var scopes []string
	var name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token and print its secret (shown once; only its hash is stored)",
		Long: `Create a bearer token for the fleet API in the server's database and print
its secret on standard output. Only a SHA-256 hash of the secret is stored:
keep the secret, it cannot be shown again.

Scopes: ingest (upload SBOMs and container records), read (queries and
/metrics), admin (everything, and the audit log).`,
		Example: `  shipshape server token create --scope ingest --name ci
  shipshape server token create --scope read,ingest --name agent --database postgres://shipshape@db/shipshape
  TOKEN=$(shipshape server token create --scope read --data /var/lib/shipshape)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, err := store.ParseScopes(scopes)
			if err != nil {
				return usageErr("--scope: %v", err)
			}
			if name == "" {
				name = "token-" + time.Now().UTC().Format("20060102T150405Z")
			}
			st, _, err := db.open(e.ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			secret, err := st.CreateToken(e.ctx, name, sc)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			fmt.Fprintln(e.stdout, secret)
			return nil
		},
	}
	create.Flags().StringSliceVar(&scopes, "scope", nil, "scopes, comma-separated: ingest, read, admin (required)")
	create.Flags().StringVar(&name, "name", "", "a name for the token, shown in the audit log")
	tok.AddCommand(create)
	return tok
}
