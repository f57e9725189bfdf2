package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

type ctxKey int

const tokenKey ctxKey = 0

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	detail string
	// audited says the handler's write carried its own audit entry (an
	// SBOM upload's is written in the transaction that stores it).
	audited bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// route wraps a handler with metrics, authentication (scope "" means
// none), the body limit and, for writes, the audit log.
func (s *Server) route(name, scope string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var tok store.Token
		defer func() {
			code := sw.status
			if code == 0 {
				code = http.StatusOK
			}
			s.metrics.requests.WithLabelValues(name, strconv.Itoa(code)).Inc()
			s.metrics.latency.WithLabelValues(name).Observe(time.Since(start).Seconds())
			if r.Method != http.MethodGet && r.Method != http.MethodHead && scope != "" && !sw.audited {
				s.audit(r, tok, code, sw.detail)
			}
		}()
		if scope != "" {
			var ok bool
			if tok, ok = s.authenticate(sw, r, scope); !ok {
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), tokenKey, tok))
		}
		r.Body = http.MaxBytesReader(sw, r.Body, s.opts.MaxBody)
		h(sw, r)
	})
}

// authenticate checks the bearer token and its scope, answering 401 or
// 403 itself when it fails.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, scope string) (store.Token, bool) {
	auth := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="shipshape"`)
		writeError(w, http.StatusUnauthorized, "a bearer token is required (Authorization: Bearer <token>; create one with `shipshape server token create`)")
		return store.Token{}, false
	}
	tok, err := s.st.TokenBySecret(r.Context(), strings.TrimSpace(secret))
	if errors.Is(err, store.ErrNotFound) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="shipshape", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "unknown token")
		return store.Token{}, false
	}
	if err != nil {
		s.log.Error("token lookup", "err", err)
		writeError(w, http.StatusServiceUnavailable, "token lookup failed")
		return store.Token{}, false
	}
	if !tok.Allows(scope) {
		writeError(w, http.StatusForbidden, "token "+strconv.Quote(tok.Name)+" lacks the "+scope+" scope")
		return tok, false
	}
	return tok, true
}

// audit records a write: who, what, the outcome. An audit failure is
// logged, never hidden.
func (s *Server) audit(r *http.Request, tok store.Token, status int, detail string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
	defer cancel()
	e := auditEntry(r, tok, status)
	e.Detail = detail
	err := s.st.Audit(ctx, *e)
	if err != nil {
		s.log.Error("audit", "err", err)
	}
}

// auditEntry is the audit record of request r made with tok.
func auditEntry(r *http.Request, tok store.Token, status int) *store.AuditEntry {
	who := tok.Name
	if who == "" {
		who = "-"
	}
	return &store.AuditEntry{At: time.Now(), Token: who, Method: r.Method, Path: r.URL.RequestURI(), Status: status}
}

// apiError is the body of every error response.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	if sw, ok := w.(*statusWriter); ok {
		sw.detail = msg
	}
	writeJSON(w, code, apiError{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
