package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// ScanArgs asks for a server-side scan of an image: its SBOM is read
// through the engine and ingested like an upload.
type ScanArgs struct {
	// Ref is the reference as asked (a registry reference, possibly
	// pinned by digest, or docker:/podman: for the engine the server
	// reaches).
	Ref string `json:"ref" river:"unique"`
}

// Kind names the job kind in River's table.
func (ScanArgs) Kind() string { return "fleet_scan" }

// InsertOpts: one scan per reference while one waits or runs. A
// reference pinned by digest (name@sha256:…) makes that one scan per
// image digest; a tag is scanned again when asked after the last scan
// finished, since the tag may have moved.
func (ScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueScan, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// ScanResult is a finished scan's output, shown by the job's status.
type ScanResult struct {
	Digest      string `json:"digest"`
	ImageID     int64  `json:"imageId"`
	Packages    int    `json:"packages"`
	NewPackages int    `json:"newPackages"`
}

// ErrRef reports a reference the server will not scan.
var ErrRef = errors.New("invalid image reference")

// ScanSource checks a reference asked for over the API and returns the
// engine source to read it from and the reference to record. Only
// registries and container engines are read: a path (dir:, oci:,
// docker-archive:, or a bare path) would make the server read its own
// files on a client's behalf, and is refused.
func ScanSource(ref string) (source, display string, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 1024 {
		return "", "", fmt.Errorf("%w: a reference of 1 to 1024 characters is required", ErrRef)
	}
	scheme, rest, ok := strings.Cut(ref, ":")
	switch {
	case ok && (scheme == "docker" || scheme == "podman"):
		if _, err := name.ParseReference(rest); err != nil {
			return "", "", fmt.Errorf("%w: %v", ErrRef, err)
		}
		return ref, rest, nil
	case ok && scheme == "registry":
		ref = rest
	case ok && (scheme == "dir" || scheme == "oci" || scheme == "docker-archive" || scheme == "sbom"):
		return "", "", fmt.Errorf("%w: the server scans images in registries or in a Docker/Podman Engine it reaches, not %s: paths", ErrRef, scheme)
	}
	if strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, ".") {
		return "", "", fmt.Errorf("%w: %q is a path; the server scans registry images", ErrRef, ref)
	}
	if _, err := name.ParseReference(ref); err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrRef, err)
	}
	return "registry:" + ref, ref, nil
}

// ScanImage reads an image's SBOM through the engine, as `shipshape
// push` does on a client.
func ScanImage(ctx context.Context, source string) (*sbom.SBOM, error) {
	res, err := engine.SBOM(ctx, engine.SBOMOptions{Ref: source})
	if err != nil {
		return nil, err
	}
	return res.SBOM, nil
}

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	r *Runner
}

// Timeout allows a large image to be pulled and read.
func (w *scanWorker) Timeout(*river.Job[ScanArgs]) time.Duration { return 30 * time.Minute }

func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	source, display, err := ScanSource(job.Args.Ref)
	if err != nil {
		return river.JobCancel(err)
	}
	doc, err := w.r.cfg.Scan(ctx, source)
	if err != nil {
		return fmt.Errorf("scan %s: %w", display, err)
	}
	if !store.ValidDigest(doc.Digest) {
		return river.JobCancel(fmt.Errorf("scan %s: the source reports no manifest digest", display))
	}
	res, err := w.r.st.Ingest(ctx, store.Image{Digest: doc.Digest, Ref: display, SBOM: doc})
	if err != nil {
		return fmt.Errorf("store %s: %w", display, err)
	}
	if err := river.RecordOutput(ctx, ScanResult{Digest: doc.Digest, ImageID: res.ImageID, Packages: res.Packages, NewPackages: res.NewPackages}); err != nil {
		return err
	}
	return w.r.Rematch(ctx)
}

// Scan queues a scan of ref (checked with ScanSource) and returns the
// job's id; a scan of the same reference already waiting or running is
// returned instead of a new one.
func (r *Runner) Scan(ctx context.Context, ref string) (int64, bool, error) {
	if _, _, err := ScanSource(ref); err != nil {
		return 0, false, err
	}
	res, err := r.q.Insert(ctx, ScanArgs{Ref: strings.TrimSpace(ref)}, nil)
	if err != nil {
		return 0, false, fmt.Errorf("queue scan: %w", err)
	}
	return res.Job.ID, res.UniqueSkippedAsDuplicate, nil
}

// Status is a job as GET /api/v1/jobs/{id} shows it.
type Status struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	State       string          `json:"state"`
	Attempt     int             `json:"attempt"`
	MaxAttempts int             `json:"maxAttempts"`
	Args        json.RawMessage `json:"args"`
	Errors      []string        `json:"errors,omitempty"`
	Output      json.RawMessage `json:"output,omitempty"`
	Created     int64           `json:"created"`
	Finalized   int64           `json:"finalized,omitempty"`
}

// ErrNoJob reports an unknown job id.
var ErrNoJob = errors.New("no such job")

// Job returns the status of job id.
func (r *Runner) Job(ctx context.Context, id int64) (*Status, error) {
	j, err := r.q.JobGet(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) {
		return nil, ErrNoJob
	}
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	st := &Status{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		Args: j.EncodedArgs, Created: j.CreatedAt.Unix()}
	if out := j.Output(); len(out) > 0 {
		st.Output = out
	}
	for _, e := range j.Errors {
		st.Errors = append(st.Errors, e.Error)
	}
	if j.FinalizedAt != nil {
		st.Finalized = j.FinalizedAt.Unix()
	}
	return st, nil
}
