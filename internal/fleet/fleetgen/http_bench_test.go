package fleetgen_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// BenchmarkHTTPIngest uploads generated CycloneDX JSON SBOMs to a real
// server on loopback from 8 concurrent clients: decoding, group commit
// and the HTTP stack, end to end.
func BenchmarkHTTPIngest(b *testing.B) {
	p, _ := setup(b)
	benchBackends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		tok, err := s.CreateToken(ctx, "bench", []string{store.ScopeIngest})
		if err != nil {
			b.Fatal(err)
		}
		srv, err := server.New(server.Options{Store: s})
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		sctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- srv.Serve(sctx, ln, server.TLS{}) }()
		defer func() { cancel(); <-done }()
		g := fleetgen.New(p, 9)
		docs := make([][]byte, b.N)
		digests := make([]string, b.N)
		for i := range docs {
			im := g.Image(i)
			var buf bytes.Buffer
			if err := encode.Write(&buf, encode.CycloneDXJSON, im.SBOM, encode.Options{}); err != nil {
				b.Fatal(err)
			}
			docs[i], digests[i] = buf.Bytes(), im.Digest
		}
		url := "http://" + ln.Addr().String() + "/api/v1/sboms?digest="
		var next atomic.Int64
		var failed atomic.Int64
		b.ResetTimer()
		start, cpu := time.Now(), cpuTime()
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= b.N {
						return
					}
					req, _ := http.NewRequest("POST", url+digests[i], bytes.NewReader(docs[i]))
					req.Header.Set("Authorization", "Bearer "+tok)
					resp, err := http.DefaultClient.Do(req)
					if err != nil || resp.StatusCode != http.StatusCreated {
						failed.Add(1)
					}
					if resp != nil {
						resp.Body.Close()
					}
				}
			}()
		}
		wg.Wait()
		report(b, start, cpu)
		if n := failed.Load(); n > 0 {
			b.Fatalf("%d uploads failed", n)
		}
	})
}
