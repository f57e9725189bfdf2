package fleetgen_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
)

// BenchmarkHTTPIngest uploads generated CycloneDX JSON SBOMs to a real
// server on loopback from 8 and from 64 concurrent clients: decoding,
// group commit and the HTTP stack, end to end. A server taking 1,000
// uploads a second from pipelines that each wait for their answer has
// many of them in flight at once, so the 64-client figure is the one the
// ingest target is read against; 8 clients shows the cost of small groups.
func BenchmarkHTTPIngest(b *testing.B) {
	for _, clients := range []int{8, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchHTTPIngest(b, clients) })
	}
}

func benchHTTPIngest(b *testing.B, clients int) {
	p, _ := setup(b)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		f := fleettest.StartServer(b, dsn, server.Options{})
		docs, digests := cycloneDXDocs(b, fleetgen.New(p, 9), b.N)
		url := f.URL + "/api/v1/sboms?digest="
		// One kept-alive connection per client, as a pipeline's uploads
		// would (the default keeps 2 per host and reconnects the rest).
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
		defer hc.CloseIdleConnections()
		var next atomic.Int64
		var failed atomic.Int64
		b.ResetTimer()
		start, cpu := time.Now(), cpuTime()
		var wg sync.WaitGroup
		for w := 0; w < clients; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= b.N {
						return
					}
					req, _ := http.NewRequest("POST", url+digests[i], bytes.NewReader(docs[i]))
					req.Header.Set("Authorization", "Bearer "+f.Ingest)
					resp, err := hc.Do(req)
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
