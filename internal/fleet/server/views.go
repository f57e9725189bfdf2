package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/fleet/ui"
)

// viewRoutes adds the findings upload, OpenVEX triage, the query views
// (diff, base images, top vulnerabilities, history, counts) and the web
// UI to mux.
func (s *Server) viewRoutes(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/images/{digest}/findings", s.route("findings", store.ScopeIngest, s.postFindings))
	mux.Handle("GET /api/v1/images/{digest}/findings", s.route("findings", store.ScopeRead, s.getFindings))
	mux.Handle("GET /api/v1/images/{digest}/history", s.route("history", store.ScopeRead, s.getHistory))
	mux.Handle("POST /api/v1/vex", s.route("vex", store.ScopeAdmin, s.postVEX))
	mux.Handle("GET /api/v1/vex", s.route("vex", store.ScopeRead, s.getVEX))
	mux.Handle("GET /api/v1/diff", s.route("diff", store.ScopeRead, s.getDiff))
	mux.Handle("GET /api/v1/base-images", s.route("base-images", store.ScopeRead, s.getBaseImages))
	mux.Handle("GET /api/v1/vulnerabilities/top", s.route("top", store.ScopeRead, s.getTop))
	mux.Handle("GET /api/v1/refs/history", s.route("ref-history", store.ScopeRead, s.getRefHistory))
	mux.Handle("GET /api/v1/counts", s.route("counts", store.ScopeRead, s.getCounts))
	// The web UI authenticates itself (a login form and an HttpOnly
	// cookie holding the token): the route adds metrics only.
	pages := ui.New(ui.Options{Store: s.st, Log: s.log})
	mux.Handle("/ui/", s.route("ui", "", pages.ServeHTTP))
	mux.Handle("GET /{$}", http.RedirectHandler("/ui/", http.StatusFound))
}

// FindingsUpload is the body of POST /api/v1/images/{digest}/findings.
type FindingsUpload struct {
	Findings []store.Finding `json:"findings"`
}

func (s *Server) digestParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	d := r.PathValue("digest")
	if !store.ValidDigest(d) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("digest %q is not sha256:<64 lower-case hex>", d))
		return "", false
	}
	return d, true
}

// postFindings replaces the image's findings with the uploaded ones.
func (s *Server) postFindings(w http.ResponseWriter, r *http.Request) {
	d, ok := s.digestParam(w, r)
	if !ok {
		return
	}
	var b FindingsUpload
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid findings: "+err.Error())
		return
	}
	if b.Findings == nil {
		writeError(w, http.StatusBadRequest, `the body needs {"findings": [...]} (an empty list clears them)`)
		return
	}
	if len(b.Findings) > store.MaxFindings {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("at most %d findings per image", store.MaxFindings))
		return
	}
	for _, f := range b.Findings {
		if err := f.Validate(); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	err := s.st.PutFindings(r.Context(), d, b.Findings)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no image "+d+": upload its SBOM first")
		return
	}
	if err != nil {
		s.log.Error("findings", "err", err)
		writeError(w, http.StatusInternalServerError, "could not store the findings")
		return
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.detail = fmt.Sprintf("%s %d findings", d, len(b.Findings))
	}
	writeJSON(w, http.StatusOK, map[string]int{"stored": len(b.Findings)})
}

func (s *Server) getFindings(w http.ResponseWriter, r *http.Request) {
	d, ok := s.digestParam(w, r)
	if !ok {
		return
	}
	fs, err := s.st.Findings(r.Context(), d)
	s.answer(w, "findings", map[string]any{"findings": fs}, err, "no image "+d)
}

func (s *Server) getHistory(w http.ResponseWriter, r *http.Request) {
	d, ok := s.digestParam(w, r)
	if !ok {
		return
	}
	h, err := s.st.History(r.Context(), d)
	s.answer(w, "history", h, err, "no image "+d)
}

// postVEX stores the statements of an OpenVEX document; they apply to
// every answer from then on, whatever is matched again later.
func (s *Server) postVEX(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		writeError(w, http.StatusBadRequest, "read body: "+err.Error())
		return
	}
	stmts, err := store.ParseOpenVEX(data, time.Now().Unix())
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid OpenVEX: "+err.Error())
		return
	}
	if err := s.st.PutVEX(r.Context(), stmts); err != nil {
		s.log.Error("vex", "err", err)
		writeError(w, http.StatusInternalServerError, "could not store the statements")
		return
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.detail = fmt.Sprintf("%d statements", len(stmts))
	}
	// A pass recomputes the ranking by exposure that the triage changed.
	s.Wake()
	writeJSON(w, http.StatusCreated, map[string]any{"stored": len(stmts), "statements": stmts})
}

func (s *Server) getVEX(w http.ResponseWriter, r *http.Request) {
	var names []string
	if a := strings.TrimSpace(r.URL.Query().Get("advisory")); a != "" {
		names = append(names, a)
	}
	vs, err := s.st.VEXStatements(r.Context(), names...)
	s.answer(w, "vex", map[string]any{"statements": vs}, err, "")
}

func (s *Server) getDiff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if !store.ValidDigest(from) || !store.ValidDigest(to) {
		writeError(w, http.StatusBadRequest, "from= and to= must be image digests (sha256:<64 lower-case hex>)")
		return
	}
	d, err := s.st.Diff(r.Context(), from, to)
	s.answer(w, "diff", d, err, "the fleet lacks one of the images")
}

func (s *Server) getBaseImages(w http.ResponseWriter, r *http.Request) {
	bs, err := s.st.BaseImages(r.Context(), r.URL.Query().Get("name"))
	s.answer(w, "base images", map[string]any{"baseImages": bs}, err, "")
}

func (s *Server) getTop(w http.ResponseWriter, r *http.Request) {
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxPage {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be 1 to %d", store.MaxPage))
			return
		}
		limit = n
	}
	top, err := s.st.TopVulnerabilities(r.Context(), limit)
	s.answer(w, "top", map[string]any{"vulnerabilities": top}, err, "")
}

func (s *Server) getRefHistory(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("ref")
	if ref == "" || len(ref) > 1000 {
		writeError(w, http.StatusBadRequest, "ref= is required (an image reference such as registry.example/app:1.4)")
		return
	}
	h, err := s.st.RefHistory(r.Context(), ref)
	s.answer(w, "ref history", map[string]any{"ref": ref, "images": h}, err, "")
}

func (s *Server) getCounts(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FleetCounts(r.Context())
	s.answer(w, "counts", c, err, "")
}

// answer writes v, or the error: 404 with notFound for ErrNotFound, 500
// (logged) for anything else.
func (s *Server) answer(w http.ResponseWriter, what string, v any, err error, notFound string) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, notFound)
	case err != nil:
		s.log.Error(what, "err", err)
		writeError(w, http.StatusInternalServerError, "query failed")
	default:
		writeJSON(w, http.StatusOK, v)
	}
}
