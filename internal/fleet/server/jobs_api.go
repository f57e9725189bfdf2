package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// jobRoutes adds the routes of server-side scans and job status.
func (s *Server) jobRoutes(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/images", s.route("images", store.ScopeIngest, s.postImage))
	mux.Handle("GET /api/v1/jobs/{id}", s.route("job", store.ScopeRead, s.getJob))
}

// ScanRequest is the body of POST /api/v1/images.
type ScanRequest struct {
	Ref string `json:"ref"`
}

// ScanQueued is the answer to POST /api/v1/images.
type ScanQueued struct {
	JobID int64  `json:"jobId"`
	Ref   string `json:"ref"`
	// Existing is set when a scan of the same reference was already
	// waiting or running: its job is returned.
	Existing bool   `json:"existing,omitempty"`
	Status   string `json:"status"`
}

// postImage queues a server-side scan of an image by reference; the
// scan's job ingests its SBOM, then matching follows.
func (s *Server) postImage(w http.ResponseWriter, r *http.Request) {
	var req ScanRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		writeError(w, http.StatusBadRequest, `invalid body, want {"ref": "registry.example/app:1.0"}: `+err.Error())
		return
	}
	if _, _, err := jobs.ScanSource(req.Ref); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if s.jobs == nil {
		writeError(w, http.StatusServiceUnavailable, "the job queue is not running")
		return
	}
	id, existing, err := s.jobs.Scan(r.Context(), req.Ref)
	if err != nil {
		s.log.Error("queue scan", "ref", req.Ref, "err", err)
		writeError(w, http.StatusInternalServerError, "could not queue the scan")
		return
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.detail = fmt.Sprintf("scan %s job %d", req.Ref, id)
	}
	w.Header().Set("Location", "/api/v1/jobs/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusAccepted, ScanQueued{JobID: id, Ref: req.Ref, Existing: existing, Status: "/api/v1/jobs/" + strconv.FormatInt(id, 10)})
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, "a job id is a positive integer")
		return
	}
	if s.jobs == nil {
		writeError(w, http.StatusServiceUnavailable, "the job queue is not running")
		return
	}
	st, err := s.jobs.Job(r.Context(), id)
	if errors.Is(err, jobs.ErrNoJob) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no job %d", id))
		return
	}
	if err != nil {
		s.log.Error("job", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, st)
}
