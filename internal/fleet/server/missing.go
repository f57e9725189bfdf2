package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// DigestQuery is the body of POST /api/v1/sboms/missing and, with
// Missing, its answer.
type DigestQuery struct {
	Digests []string `json:"digests,omitempty"`
	Missing []string `json:"missing"`
}

// postMissing answers which of the digests sent the fleet holds no SBOM
// of. It needs the ingest scope, not read: the agent that asks is the one
// that would upload, and it learns nothing but whether an SBOM exists.
func (s *Server) postMissing(w http.ResponseWriter, r *http.Request) {
	var q DigestQuery
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid digest list: "+err.Error())
		return
	}
	if len(q.Digests) == 0 || len(q.Digests) > store.MaxDigestQuery {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("send 1 to %d digests, got %d", store.MaxDigestQuery, len(q.Digests)))
		return
	}
	for _, d := range q.Digests {
		if !store.ValidDigest(d) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("digest %q is not sha256:<64 lower-case hex>", d))
			return
		}
	}
	missing, err := s.st.MissingDigests(r.Context(), q.Digests)
	if err != nil {
		s.log.Error("missing", "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, DigestQuery{Missing: missing})
}
