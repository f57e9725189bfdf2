package lsp

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

type pipe struct {
	io.Reader
	io.WriteCloser
}

// TestServerOverStdio drives the server as an editor would, over a pair of
// pipes with the protocol's Content-Length framing: initialize, open a
// Dockerfile (unsaved text) and receive its diagnostics, ask for code
// actions at a finding and get its fix as a workspace edit, change the text
// and see the diagnostic go, close, shut down, exit.
func TestServerOverStdio(t *testing.T) {
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	srv := New(engine.LintOptions{Rules: reg, Configs: config.NewFinder(reg)}, "test")
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, pipe{sr, sw}) }()

	client := jsonrpc2.NewConn(jsonrpc2.NewStream(pipe{cr, cw}))
	var mu sync.Mutex
	diags := make(chan protocol.PublishDiagnosticsParams, 8)
	client.Go(ctx, func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p protocol.PublishDiagnosticsParams
			if err := unmarshal(req.Params(), &p); err != nil {
				t.Error(err)
			}
			mu.Lock()
			diags <- p
			mu.Unlock()
		}
		return reply(ctx, nil, nil)
	})
	var init protocol.InitializeResult
	if _, err := client.Call(ctx, protocol.MethodInitialize, protocol.InitializeParams{}, &init); err != nil {
		t.Fatal(err)
	}
	if init.ServerInfo == nil || init.ServerInfo.Name != "shipshape" || init.Capabilities.CodeActionProvider != true {
		t.Fatalf("initialize: %+v", init)
	}
	client.Notify(ctx, protocol.MethodInitialized, protocol.InitializedParams{})

	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	os.WriteFile(path, []byte("FROM scratch\n"), 0o644) // what is on disk differs: the buffer wins
	uri := protocol.DocumentURI("file://" + filepath.ToSlash(path))
	text := "FROM alpine:3.20\n# ünïcode before the finding\nMAINTAINER Jane Doe <jane@example.com>\nUSER 10001\n"
	client.Notify(ctx, protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "dockerfile", Version: 1, Text: text}})
	got := <-diags
	var maint *protocol.Diagnostic
	for i, d := range got.Diagnostics {
		if d.Code == "DF1804" {
			maint = &got.Diagnostics[i]
		}
	}
	if got.URI != uri || maint == nil || maint.Range.Start.Line != 2 || maint.Source != "shipshape" {
		t.Fatalf("diagnostics for the opened buffer: %+v", got)
	}

	var actions []protocol.CodeAction
	if _, err := client.Call(ctx, protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: maint.Range,
	}, &actions); err != nil {
		t.Fatal(err)
	}
	var edit *protocol.TextEdit
	for _, a := range actions {
		if strings.HasPrefix(a.Title, "DF1804") && a.Edit != nil && len(a.Edit.Changes[uri]) == 1 {
			edit = &a.Edit.Changes[uri][0]
		}
	}
	if edit == nil || edit.Range.Start.Line != 2 || edit.Range.Start.Character != 0 || !strings.HasPrefix(edit.NewText, "LABEL org.opencontainers.image.authors=") {
		t.Fatalf("code actions: %+v", actions)
	}

	fixed := strings.Replace(text, "MAINTAINER Jane Doe <jane@example.com>", edit.NewText, 1)
	client.Notify(ctx, protocol.MethodTextDocumentDidChange, protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: fixed}},
	})
	got = <-diags
	for _, d := range got.Diagnostics {
		if d.Code == "DF1804" {
			t.Errorf("DF1804 still reported after the fix: %+v", d)
		}
	}
	client.Notify(ctx, protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	if got = <-diags; len(got.Diagnostics) != 0 {
		t.Errorf("closing a document leaves diagnostics: %+v", got)
	}
	if _, err := client.Call(ctx, protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatal(err)
	}
	client.Notify(ctx, protocol.MethodExit, nil)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-ctx.Done():
		t.Fatal("the server did not end after exit")
	}
}
