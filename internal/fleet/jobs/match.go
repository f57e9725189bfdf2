package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// MatchArgs queues a matching pass. The pending-package set (packages
// without a package_match row) stays the durable record of what to
// match; the job says when. Followup tells a pass queued while another
// runs apart from it, so that an ingest committed after the running
// pass looked for pending packages still gets a pass of its own.
type MatchArgs struct {
	Followup bool `json:"followup,omitempty" river:"unique"`
}

// Kind names the job kind in River's table.
func (MatchArgs) Kind() string { return "fleet_match" }

// InsertOpts makes passes unique while waiting or running: a burst of
// ingests queues one pass, not one each.
func (MatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueMatch, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// PassStats says what one matching pass did.
type PassStats struct {
	// Invalidated are the package versions marked for matching again
	// because their advisories changed in a new database build.
	Invalidated store.InvalidateStats
	// Matched are the package versions matched (new and invalidated).
	Matched store.MatchStats
	// Exposures are the (advisory, image) notifications queued, each
	// for every webhook.
	Exposures int
	Built     time.Time
}

type matchWorker struct {
	river.WorkerDefaults[MatchArgs]
	r *Runner
}

func (w *matchWorker) Work(ctx context.Context, _ *river.Job[MatchArgs]) error {
	_, err := w.r.Pass(ctx)
	return err
}

// Timeout lets a pass over a large fleet run past River's default minute.
func (w *matchWorker) Timeout(*river.Job[MatchArgs]) time.Duration { return time.Hour }

// Rematch queues a matching pass (after an ingest, a container report,
// or to pick up a new vulnerability database). When a pass is already
// running, a follow-up pass is queued behind it.
func (r *Runner) Rematch(ctx context.Context) error {
	res, err := r.q.Insert(ctx, MatchArgs{}, nil)
	if err != nil {
		return fmt.Errorf("queue matching: %w", err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job != nil && res.Job.State == rivertype.JobStateRunning {
		if _, err := r.q.Insert(ctx, MatchArgs{Followup: true}, nil); err != nil {
			return fmt.Errorf("queue matching: %w", err)
		}
	}
	return nil
}

// Pass runs one matching pass now, in the calling goroutine: it opens
// the vulnerability database (so that a `db update`, which replaces the
// file, is picked up), marks for matching again the packages whose
// advisories changed since they were matched, matches every pending
// package, and queues a notification of each new exposure of a running
// container for each webhook.
func (r *Runner) Pass(ctx context.Context) (PassStats, error) {
	st, err := r.pass(ctx)
	if err != nil && ctx.Err() == nil {
		r.log.Error("matching", "err", err)
	} else if st.Matched.Packages > 0 || st.Exposures > 0 {
		r.log.Info("matched", "packages", st.Matched.Packages, "hits", st.Matched.Hits,
			"invalidated", st.Invalidated.Packages, "exposures", st.Exposures)
	}
	if err != nil && r.cfg.OnMatch != nil {
		r.cfg.OnMatch(PassStats{}, err)
	}
	return st, err
}

func (r *Runner) pass(ctx context.Context) (PassStats, error) {
	var ps PassStats
	if r.cfg.VulnDB == "" {
		return ps, nil
	}
	db, err := vuln.Open(r.cfg.VulnDB)
	if err != nil {
		return ps, fmt.Errorf("vulnerability database: %w", err)
	}
	defer db.Close()
	status, err := db.Status()
	if err != nil {
		return ps, fmt.Errorf("vulnerability database: %w", err)
	}
	ps.Built = status.Built
	unlock, err := r.st.LockMatching(ctx)
	if err != nil {
		return ps, err
	}
	defer unlock()
	if ps.Invalidated, err = r.st.InvalidateChanged(ctx, db, status.Built); err != nil {
		return ps, err
	}
	if ps.Matched, err = r.st.MatchPending(ctx, db, status.Built); err != nil {
		return ps, err
	}
	// The dashboard's ranking by running exposure, computed now rather
	// than by the first request after the pass.
	if err := r.st.RefreshRanking(ctx); err != nil {
		return ps, err
	}
	// The answers are whole from here on: say so now (readiness), not
	// after the notifications are queued.
	if r.cfg.OnMatch != nil {
		r.cfg.OnMatch(ps, nil)
	}
	if len(r.cfg.Webhooks) == 0 {
		return ps, nil
	}
	for {
		es, err := r.st.NewExposures(ctx)
		if err != nil {
			return ps, err
		}
		// Jobs first, then the record: a crash between the two queues
		// the same jobs again, which River's uniqueness (by arguments,
		// completed jobs included) turns away.
		for _, e := range es {
			if e.Triaged {
				continue // OpenVEX: not affected here; recorded below, never told
			}
			for _, url := range r.cfg.Webhooks {
				if _, err := r.q.Insert(ctx, NotifyArgs{URL: url, Exposure: e}, nil); err != nil {
					return ps, fmt.Errorf("queue notification: %w", err)
				}
			}
		}
		if err := r.st.RecordExposures(ctx, es); err != nil {
			return ps, err
		}
		ps.Exposures += len(es)
		if len(es) < store.MaxExposures {
			return ps, nil
		}
	}
}

// MatchOnce runs one matching pass over st without a queue (and so
// without notifications): for tests and tools that match in place.
func MatchOnce(ctx context.Context, st *store.Store, vulnDB string, log *slog.Logger) (PassStats, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := &Runner{cfg: Config{Store: st, VulnDB: vulnDB}, st: st, log: log}
	return r.pass(ctx)
}
