package agent_test

import (
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
)

// oddEngine serves the few Engine API calls the agent makes, with an
// event stream no real engine sends in one piece: events without a
// container, unknown types and actions, a start of a container that does
// not exist, a negative time, then a line that is not JSON, which ends
// the stream. A real engine cannot be made to send these, hence the
// stand-in.
func oddEngine(t *testing.T) (host string, streams *atomic.Int64) {
	t.Helper()
	streams = new(atomic.Int64)
	mux := http.NewServeMux()
	mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "OK") })
	mux.HandleFunc("/info", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"Name":"odd-host","ID":"X"}`) })
	mux.HandleFunc("/containers/json", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `[{"Id":""},{}]`) })
	mux.HandleFunc("/containers/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"No such container"}`)
	})
	mux.HandleFunc("/events", func(w http.ResponseWriter, r *http.Request) {
		streams.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for _, line := range []string{
			`{}`,
			`{"Type":"container"}`,
			`{"Type":"network","Action":"connect","Actor":{"ID":"n1"}}`,
			`{"Type":"container","Action":"start","Actor":{"ID":"gone"},"time":-5}`,
			`{"Type":"container","Action":"exec_start: sh -c true","Actor":{"ID":"c1","Attributes":null}}`,
			`{"Type":"container","status":"died","id":"c2","timeNano":1}`,
			`{"Type":"container","Action":"destroy","Actor":{"ID":"never-seen"}}`,
			`{"Type":"container","Action":"start","Actor":"not an object"}`,
		} {
			fmt.Fprintln(w, line)
			w.(http.Flusher).Flush()
			time.Sleep(10 * time.Millisecond)
		}
		fmt.Fprintln(w, `not json`)
	})
	sock := filepath.Join(t.TempDir(), "odd.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "unix://" + sock, streams
}

// TestAgentOddEvents: odd events neither stop nor crash the agent, and
// none of them becomes a record; a stream that breaks on a line that is
// not JSON is reconnected, again and again.
func TestAgentOddEvents(t *testing.T) {
	host, streams := oddEngine(t)
	f := startFleet(t, filepath.Join(t.TempDir(), "fleet.db"), "")
	a, stop := runAgent(t, host, f, agent.Options{MaxBackoff: 200 * time.Millisecond})
	// A stream starts only after the previous one broke and its events
	// were handled: at the fourth, three were handled whole.
	waitFor(t, 30*time.Second, "four streams", func() (bool, string) {
		return streams.Load() >= 4, fmt.Sprintf("%d streams, %+v", streams.Load(), a.Stats())
	})
	stop()
	st := a.Stats()
	if st.Sessions < 3 || st.Events < 3*7 || st.Sent != 0 || st.Scanned != 0 {
		t.Errorf("stats %+v: want three sessions, every decodable event counted, nothing sent", st)
	}
}
