// Package lsp is shipshape as a language server over stdio: editors get
// the findings of a Dockerfile or compose file as diagnostics while it is
// edited, and the findings' fixes as code actions. It speaks the Language
// Server Protocol through go.lsp.dev (jsonrpc2 with Content-Length framing,
// protocol types) and lints through the engine like the CLI does.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Server is one language-server session.
type Server struct {
	opts    engine.LintOptions
	version string

	mu   sync.Mutex
	docs map[protocol.DocumentURI]*document
	conn jsonrpc2.Conn
	// exit is closed when the client sends exit.
	exit chan struct{}
}

// document is an open text document and the findings of its last lint.
type document struct {
	path     string
	text     string
	findings []rule.Finding
}

// New returns a server that lints with opts (rules, configuration); version
// is reported to the client.
func New(opts engine.LintOptions, version string) *Server {
	return &Server{opts: opts, version: version, docs: map[protocol.DocumentURI]*document{}, exit: make(chan struct{})}
}

// Serve runs the session over rwc (stdin and stdout) until the client
// sends exit, the stream ends, or ctx ends.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) error {
	s.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(rwc))
	s.conn.Go(ctx, func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		result, err := s.handle(ctx, req)
		if !isCall(req) {
			return err
		}
		if errors.Is(err, errNotFound) {
			return jsonrpc2.MethodNotFoundHandler(ctx, reply, req)
		}
		return reply(ctx, result, err)
	})
	select {
	case <-s.exit:
	case <-s.conn.Done():
	case <-ctx.Done():
	}
	s.conn.Close()
	return s.conn.Err()
}

// errNotFound marks a call to a method the server does not implement.
var errNotFound = errors.New("method not found")

// isCall tells a request that expects a response from a notification.
func isCall(req jsonrpc2.Request) bool {
	_, ok := req.(*jsonrpc2.Call)
	return ok
}

// handle answers one request or notification.
func (s *Server) handle(ctx context.Context, req jsonrpc2.Request) (any, error) {
	params := req.Params()
	switch req.Method() {
	case protocol.MethodInitialize:
		return protocol.InitializeResult{
			Capabilities: protocol.ServerCapabilities{
				TextDocumentSync: protocol.TextDocumentSyncOptions{
					OpenClose: true, Change: protocol.TextDocumentSyncKindFull, Save: &protocol.SaveOptions{IncludeText: true},
				},
				CodeActionProvider: true,
			},
			ServerInfo: &protocol.ServerInfo{Name: "shipshape", Version: s.version},
		}, nil
	case protocol.MethodInitialized, protocol.MethodWorkspaceDidChangeConfiguration:
		return nil, nil
	case protocol.MethodShutdown:
		return nil, nil
	case protocol.MethodExit:
		close(s.exit)
		return nil, nil
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		return nil, s.update(ctx, p.TextDocument.URI, p.TextDocument.Text)
	case protocol.MethodTextDocumentDidChange:
		var p protocol.DidChangeTextDocumentParams
		if err := json.Unmarshal(params, &p); err != nil || len(p.ContentChanges) == 0 {
			return nil, err
		}
		return nil, s.update(ctx, p.TextDocument.URI, p.ContentChanges[len(p.ContentChanges)-1].Text)
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err := json.Unmarshal(params, &p); err != nil || p.Text == "" {
			return nil, err
		}
		return nil, s.update(ctx, p.TextDocument.URI, p.Text)
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		s.mu.Lock()
		delete(s.docs, p.TextDocument.URI)
		s.mu.Unlock()
		return nil, s.conn.Notify(ctx, protocol.MethodTextDocumentPublishDiagnostics,
			protocol.PublishDiagnosticsParams{URI: p.TextDocument.URI, Diagnostics: []protocol.Diagnostic{}})
	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		return s.codeActions(p), nil
	}
	if !isCall(req) {
		return nil, nil // an unknown notification is ignored, as the protocol asks
	}
	return nil, errNotFound
}

// update lints a document's new text and publishes its diagnostics.
func (s *Server) update(ctx context.Context, u protocol.DocumentURI, text string) error {
	path := uriPath(u)
	res := engine.LintSource(ctx, path, []byte(text), s.opts)
	doc := &document{path: path, text: text}
	for _, f := range res.Findings {
		if f.Suppression == nil && f.File == path {
			doc.findings = append(doc.findings, f)
		}
	}
	s.mu.Lock()
	s.docs[u] = doc
	s.mu.Unlock()
	diags := []protocol.Diagnostic{}
	for _, f := range doc.findings {
		diags = append(diags, diagnostic(doc.text, f))
	}
	return s.conn.Notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: u, Diagnostics: diags})
}

// uriPath turns a file:// URI into a path; anything else is taken as a
// name (an untitled buffer), which still tells Dockerfile from compose.
func uriPath(u protocol.DocumentURI) string {
	if p, err := url.Parse(string(u)); err == nil && p.Scheme == "file" {
		return filepath.FromSlash(p.Path)
	}
	return strings.TrimPrefix(string(u), "untitled:")
}
