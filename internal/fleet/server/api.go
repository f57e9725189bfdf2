package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/sboms", s.route("sboms", store.ScopeIngest, s.postSBOM))
	mux.Handle("POST /api/v1/containers", s.route("containers", store.ScopeIngest, s.postContainers))
	mux.Handle("POST /api/v1/sboms/missing", s.route("missing", store.ScopeIngest, s.postMissing))
	mux.Handle("GET /api/v1/vulnerabilities/{id}/affected", s.route("affected", store.ScopeRead, s.getAffected))
	mux.Handle("GET /api/v1/packages", s.route("packages", store.ScopeRead, s.getPackages))
	mux.Handle("GET /api/v1/images/{digest}", s.route("image", store.ScopeRead, s.getImage))
	mux.Handle("GET /api/v1/audit", s.route("audit", store.ScopeAdmin, s.getAudit))
	s.jobRoutes(mux)
	mux.Handle("GET /metrics", s.route("metrics", store.ScopeRead,
		promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorLog: nil}).ServeHTTP))
	mux.Handle("GET /healthz", s.route("healthz", "", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	mux.Handle("GET /readyz", s.route("readyz", "", s.getReady))
	s.viewRoutes(mux)
	mux.Handle("/", s.route("other", "", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	}))
	return mux
}

// Ingested is the answer to an SBOM upload.
type Ingested struct {
	store.IngestResult
	Digest string `json:"digest"`
	Ref    string `json:"ref,omitempty"`
}

// postSBOM stores an uploaded CycloneDX (JSON or XML) or SPDX JSON
// document as the SBOM of the image ?digest= (else the digest the
// document itself names), pushed as ?image=. Matching follows in the
// background.
func (s *Server) postSBOM(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ref, digest := q.Get("image"), q.Get("digest")
	if digest != "" && !store.ValidDigest(digest) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("digest %q is not sha256:<64 lower-case hex>", digest))
		return
	}
	base, baseDigest := q.Get("base"), q.Get("baseDigest")
	if baseDigest != "" && !store.ValidDigest(baseDigest) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("baseDigest %q is not sha256:<64 lower-case hex>", baseDigest))
		return
	}
	doc, err := encode.DecodeSized(r.Body, r.ContentLength)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("SBOM larger than %d bytes", tooBig.Limit))
			return
		}
		writeError(w, http.StatusBadRequest, "invalid SBOM: "+err.Error())
		return
	}
	if digest == "" {
		digest = doc.Digest
	}
	if digest == "" {
		writeError(w, http.StatusBadRequest, "the image digest is required: ?digest=sha256:… (the document names none)")
		return
	}
	if !store.ValidDigest(digest) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the document's digest %q is not sha256:<64 lower-case hex>; pass ?digest=", digest))
		return
	}
	im := store.Image{Digest: digest, Ref: ref, SBOM: doc, BaseName: base, BaseDigest: baseDigest}
	sw, _ := w.(*statusWriter)
	if tok, ok := r.Context().Value(tokenKey).(store.Token); ok && sw != nil {
		im.Audit = auditEntry(r, tok, http.StatusCreated)
	}
	res, err := s.ingest(r.Context(), im)
	if err != nil {
		s.log.Error("ingest", "digest", digest, "err", err)
		writeError(w, http.StatusInternalServerError, "could not store the SBOM")
		return
	}
	s.metrics.ingested.Inc()
	s.metrics.links.Add(float64(res.Packages))
	switch {
	case im.Audit != nil:
		sw.detail, sw.audited = im.Audit.Detail, true
	case sw != nil:
		sw.detail = fmt.Sprintf("%s %d packages", digest, res.Packages)
	}
	s.Wake()
	writeJSON(w, http.StatusCreated, Ingested{IngestResult: res, Digest: digest, Ref: ref})
}

// MaxContainers bounds the records of one POST /api/v1/containers.
const MaxContainers = 10000

// ContainerBatch is the body of POST /api/v1/containers.
type ContainerBatch struct {
	Containers []store.Container `json:"containers"`
}

func (s *Server) postContainers(w http.ResponseWriter, r *http.Request) {
	var b ContainerBatch
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid container records: "+err.Error())
		return
	}
	if len(b.Containers) == 0 || len(b.Containers) > MaxContainers {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("send 1 to %d container records, got %d", MaxContainers, len(b.Containers)))
		return
	}
	for _, c := range b.Containers {
		if err := c.Validate(); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	if err := s.st.PutContainers(r.Context(), b.Containers); err != nil {
		s.log.Error("containers", "err", err)
		writeError(w, http.StatusInternalServerError, "could not store the container records")
		return
	}
	s.Wake() // a container newly running may be newly exposed
	writeJSON(w, http.StatusOK, map[string]int{"stored": len(b.Containers)})
}

func page(r *http.Request) (store.Page, error) {
	var p store.Page
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxPage {
			return p, fmt.Errorf("limit must be 1 to %d", store.MaxPage)
		}
		p.Limit = n
	}
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p, errors.New("after must be a cursor from a previous page's next")
		}
		p.After = n
	}
	return p, nil
}

func (s *Server) getAffected(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.PathValue("id"))
	if id == "" || len(id) > 200 {
		writeError(w, http.StatusBadRequest, "a vulnerability id is required (CVE, GHSA, GO-, PYSEC-… or any alias)")
		return
	}
	p, err := page(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	res, err := s.st.Affected(r.Context(), id, p)
	if err != nil {
		s.log.Error("affected", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getPackages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pq := store.PackageQuery{Name: q.Get("name"), Type: q.Get("type"), Versions: q.Get("versions")}
	if pq.Name == "" {
		writeError(w, http.StatusBadRequest, "name= is required (optional: type=Debian|Alpine|PyPI|npm|Go|Maven|RPM, versions=\">=1.2, <1.3\")")
		return
	}
	if pq.Type != "" && vuln.ComparerFor(pq.Type) == nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown package type %q", pq.Type))
		return
	}
	if _, err := store.ParseRange(pq.Versions); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	res, err := s.st.ImagesWithPackage(r.Context(), pq)
	if err != nil {
		s.log.Error("packages", "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"packages": res})
}

func (s *Server) getImage(w http.ResponseWriter, r *http.Request) {
	d := r.PathValue("digest")
	if !store.ValidDigest(d) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("digest %q is not sha256:<64 lower-case hex>", d))
		return
	}
	res, err := s.st.ImageByDigest(r.Context(), d)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no image "+d)
		return
	}
	if err != nil {
		s.log.Error("image", "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getAudit(w http.ResponseWriter, r *http.Request) {
	res, err := s.st.AuditLog(r.Context(), 1000)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "query failed")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": res})
}

// getReady answers 200 when the database answers and the vulnerability
// database can be opened and was matched against, else 503 with why.
func (s *Server) getReady(w http.ResponseWriter, r *http.Request) {
	checks := map[string]string{}
	ok := true
	if err := s.st.Ping(r.Context()); err != nil {
		checks["database"], ok = err.Error(), false
	} else {
		checks["database"] = "ok"
	}
	switch {
	case s.opts.VulnDB == "":
		checks["vulnerabilityDatabase"] = "none configured (--vuln-db): packages are stored but not matched"
	default:
		s.mu.Lock()
		err, at := s.lastMatch, s.matched
		s.mu.Unlock()
		switch {
		case err != nil:
			checks["vulnerabilityDatabase"], ok = err.Error(), false
		case at.IsZero():
			checks["vulnerabilityDatabase"], ok = "first matching pass not finished", false
		default:
			checks["vulnerabilityDatabase"] = "ok"
		}
	}
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, checks)
}
