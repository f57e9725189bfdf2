package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func newWorkerCmd(e *env) *cobra.Command {
	var db fleetDB
	var vulnDB string
	var webhooks []string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run the fleet server's background jobs without its HTTP side",
		Long: `Run the fleet's job workers: matching passes (new packages, and packages
whose advisories changed after 'shipshape db update'), webhook notifications
of running containers newly exposed to an advisory, and server-side scans
queued by POST /api/v1/images. The jobs live in the fleet database (River);
'shipshape server' queues them and runs workers too unless --no-workers.

With PostgreSQL (--database) a deployment scales by running more workers,
each against the same database; matching passes take turns (an advisory
lock), notifications and scans spread over every worker. Give every process
that runs workers the same --vuln-db and --webhook flags: notifications are
queued by whichever process runs the matching pass.

SIGINT or SIGTERM stops it after the jobs in flight finish.`,
		Example: `  shipshape worker --database postgres://shipshape@db/shipshape --vuln-db /var/cache/shipshape/vuln.db
  shipshape worker --database postgres://shipshape@db/shipshape --webhook https://hooks.example/shipshape
  shipshape worker --data /var/lib/shipshape`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWorker(e, &db, vulnDB, webhooks)
		},
	}
	db.register(cmd)
	cmd.Flags().StringVar(&vulnDB, "vuln-db", "", "vulnerability database (default: the one 'shipshape db' writes, when it exists)")
	cmd.Flags().StringArrayVar(&webhooks, "webhook", nil, "URL to POST a JSON notification to when running containers are newly affected by an advisory (repeatable)")
	return cmd
}

// resolveVulnDB returns the vulnerability database to match against:
// the flag's file, which must exist, else the default one when it
// exists, else none.
func resolveVulnDB(flag string) (string, error) {
	if flag != "" {
		if _, err := os.Stat(flag); err != nil {
			return "", &exitError{code: ExitError, err: fmt.Errorf("--vuln-db: %w", err)}
		}
		return flag, nil
	}
	if p, err := vuln.DefaultPath(); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", nil
}

// checkWebhooks refuses a --webhook that is not an http(s) URL.
func checkWebhooks(urls []string) error {
	for _, u := range urls {
		if err := jobs.CheckWebhook(u); err != nil {
			return usageErr("--webhook: %v", err)
		}
	}
	return nil
}

func runWorker(e *env, db *fleetDB, vulnDB string, webhooks []string) error {
	if err := checkWebhooks(webhooks); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	vulnDB, err := resolveVulnDB(vulnDB)
	if err != nil {
		return err
	}
	if vulnDB == "" {
		log.Warn("no vulnerability database (run 'shipshape db import' or pass --vuln-db): scans are stored but nothing is matched")
	}
	st, where, err := db.open(e.ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := jobs.Open(e.ctx, jobs.Config{Store: st, VulnDB: vulnDB, Webhooks: webhooks, Work: true, Log: log})
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if err := r.Start(e.ctx); err != nil {
		r.Stop(context.Background())
		return &exitError{code: ExitError, err: err}
	}
	log.Info("working", "database", where, "webhooks", len(webhooks))
	<-e.ctx.Done()
	log.Info("stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Stop(sctx); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("stop: %w", err)}
	}
	return nil
}
