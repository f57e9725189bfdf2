package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/fleet/client"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// Fleet is what the agent needs of a fleet server; *client.Client is one.
type Fleet interface {
	PutContainers(ctx context.Context, cs []store.Container) error
	MissingSBOMs(ctx context.Context, digests []string) ([]string, error)
	UploadSBOM(ctx context.Context, ref, digest string, doc []byte) (client.Ingested, error)
}

// Scanner returns the SBOM document (CycloneDX JSON or SPDX JSON) of the
// engine's image named image (an image ID).
type Scanner func(ctx context.Context, image string) ([]byte, error)

// Options configure an Agent.
type Options struct {
	Engine *engineapi.Client
	Fleet  Fleet
	// HostName names this engine's host in the records; empty means the
	// name the engine reports (GET /info Name, else its ID).
	HostName string
	// Labels limits the agent to containers carrying every label
	// ("key" or "key=value"); empty watches all.
	Labels []string
	// Resync is the interval of full listings; 0 means DefaultResync.
	Resync time.Duration
	// BatchDelay is how long records gather before they are sent, so
	// that a burst of events (a compose project starting) is one
	// request; 0 means one second.
	BatchDelay time.Duration
	// MaxBackoff bounds the wait between reconnection and resend
	// attempts; 0 means 30 seconds.
	MaxBackoff time.Duration
	// Scan catalogues an image the server does not know; nil means
	// EngineScanner over Engine. NoScan turns scanning off.
	Scan   Scanner
	NoScan bool
	// Log receives what the agent does; nil discards it.
	Log *slog.Logger
}

// DefaultResync is the default interval of full listings.
const DefaultResync = 5 * time.Minute

// Stats count what an agent did, for tests and logs.
type Stats struct {
	// Sessions is the number of times the event stream was connected.
	Sessions int64
	// Events is the number of container events received.
	Events int64
	// Resyncs is the number of full listings taken.
	Resyncs int64
	// Sent is the number of container records the server accepted.
	Sent int64
	// SendErrors is the number of batches the server did not take.
	SendErrors int64
	// Scanned is the number of SBOMs uploaded; ScanErrors the scans or
	// uploads that failed (retried at the next resync).
	Scanned, ScanErrors int64
}

// Agent reports one engine's containers to a fleet server.
type Agent struct {
	o   Options
	log *slog.Logger

	kick    chan struct{}
	scanSig chan struct{}

	mu sync.Mutex
	// seen is the last record of every container the engine holds.
	seen map[string]store.Container
	// pending holds the records not yet accepted by the server.
	pending map[string]store.Container
	// images maps an image ID to its digest and the reference to upload
	// it as; cleared at each resync, since RepoDigests grow on push.
	images map[string]string
	// jobs maps a digest to the image ID to export and the reference to
	// upload it as, should the server not know it.
	jobs map[string]scanJob
	// known holds digests the server has an SBOM of; cleared at each
	// resync so that a server that lost its data is filled again.
	known map[string]bool
	// queued holds digests waiting for or in a scan, with what to export.
	queued map[string]scanJob
	order  []string

	sessions, events, resyncs, sent, sendErrs, scanned, scanErrs atomic.Int64
}

type scanJob struct {
	image, ref string
}

// New makes an agent; it does not connect.
func New(o Options) (*Agent, error) {
	if o.Engine == nil || o.Fleet == nil {
		return nil, errors.New("agent: an engine and a fleet server are required")
	}
	if o.Resync <= 0 {
		o.Resync = DefaultResync
	}
	if o.BatchDelay <= 0 {
		o.BatchDelay = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Scan == nil {
		o.Scan = EngineScanner(o.Engine, "", "")
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Agent{
		o: o, log: log,
		kick: make(chan struct{}, 1), scanSig: make(chan struct{}, 1),
		seen: map[string]store.Container{}, pending: map[string]store.Container{},
		images: map[string]string{}, jobs: map[string]scanJob{}, known: map[string]bool{}, queued: map[string]scanJob{},
	}, nil
}

// Stats returns the counters so far.
func (a *Agent) Stats() Stats {
	return Stats{Sessions: a.sessions.Load(), Events: a.events.Load(), Resyncs: a.resyncs.Load(), Sent: a.sent.Load(),
		SendErrors: a.sendErrs.Load(), Scanned: a.scanned.Load(), ScanErrors: a.scanErrs.Load()}
}

// Run watches the engine until ctx ends, reconnecting with backoff when
// the engine cannot be reached or its event stream breaks. On the way
// out it sends what is pending (for up to ten seconds). It returns nil:
// a stop is the only way out, and failures are logged and retried.
func (a *Agent) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.sender(ctx) }()
	go func() { defer wg.Done(); a.scanner(ctx) }()
	b := backoff{min: 500 * time.Millisecond, max: a.o.MaxBackoff}
	for ctx.Err() == nil {
		connected, err := a.session(ctx)
		if ctx.Err() != nil {
			break
		}
		if connected {
			b.reset()
		}
		d := b.next()
		a.log.Warn("engine unavailable; reconnecting", "host", a.o.Engine.Host, "err", err, "in", d.Round(time.Millisecond))
		sleep(ctx, d)
	}
	wg.Wait()
	return nil
}

// session connects the event stream, takes a full listing, then follows
// events and resyncs on the timer until the stream breaks.
func (a *Agent) session(ctx context.Context) (connected bool, err error) {
	if _, err := a.o.Engine.Ping(ctx); err != nil {
		return false, err
	}
	host, err := a.hostName(ctx)
	if err != nil {
		return false, err
	}
	sctx, cancel := context.WithCancel(ctx)
	events := make(chan engineapi.Message, 256)
	up := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- a.o.Engine.Watch(sctx, a.o.Labels, func() { close(up) }, func(m engineapi.Message) {
			select {
			case events <- m:
			case <-sctx.Done():
			}
		})
	}()
	var werr error
	watching := true
	defer func() {
		cancel()
		if watching {
			<-errc
		}
	}()
	select {
	case <-up:
	case werr = <-errc:
		watching = false
		if werr == nil {
			werr = ctx.Err()
		}
		return false, werr
	case <-ctx.Done():
		return false, nil
	}
	a.sessions.Add(1)
	a.log.Info("watching engine", "host", host, "engine", a.o.Engine.Host)
	// The listing comes after the stream is connected, so that nothing
	// that happens between the two is missed.
	if err := a.resync(ctx, host); err != nil {
		return true, err
	}
	t := time.NewTicker(a.o.Resync)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return true, nil
		case m := <-events:
			a.event(ctx, host, m)
		case werr = <-errc:
			watching = false
			// Events already received are still handled.
			for {
				select {
				case m := <-events:
					a.event(ctx, host, m)
				default:
					if werr == nil {
						werr = errors.New("engine events: stream ended")
					}
					return true, werr
				}
			}
		case <-t.C:
			if err := a.resync(ctx, host); err != nil {
				return true, err
			}
		}
	}
}

// hostName is Options.HostName, else the engine's name, else its ID,
// else its address.
func (a *Agent) hostName(ctx context.Context) (string, error) {
	if a.o.HostName != "" {
		return a.o.HostName, nil
	}
	raw, err := a.o.Engine.Info(ctx)
	if err != nil {
		return "", err
	}
	var info struct {
		Name string
		ID   string
	}
	_ = json.Unmarshal(raw, &info)
	for _, h := range []string{info.Name, info.ID, a.o.Engine.Host} {
		if h = strings.TrimSpace(h); h != "" {
			return h, nil
		}
	}
	return "engine", nil
}

// event handles one container event. Events the agent has no use for,
// or that name no container, are ignored; nothing in an event is
// trusted to be present.
func (a *Agent) event(ctx context.Context, host string, m engineapi.Message) {
	a.events.Add(1)
	id := m.ContainerID()
	if id == "" || (m.Type != "" && m.Type != "container") {
		return
	}
	switch m.Verb() {
	case "start", "restart", "unpause", "rename", "update":
		a.refresh(ctx, host, id, m.When())
	case "die", "died", "stop", "pause", "oom":
		// A paused container still runs its image; inspecting says so.
		a.refresh(ctx, host, id, m.When())
	case "destroy", "remove":
		a.gone(id, m.When())
	}
}

// refresh inspects one container and queues its record; a container
// already removed is recorded as stopped at when.
func (a *Agent) refresh(ctx context.Context, host, id string, when time.Time) {
	raw, err := a.o.Engine.Inspect(ctx, id)
	if errors.Is(err, engineapi.ErrNotFound) {
		a.gone(id, when)
		return
	}
	if err != nil {
		a.log.Warn("inspect container", "id", short(id), "err", err)
		return
	}
	rec, ok, err := a.record(ctx, host, raw)
	if err != nil {
		a.log.Warn("container record", "id", short(id), "err", err)
		return
	}
	if ok {
		a.queue(rec)
	}
}

// gone records a removed container as stopped (if it was running when
// last seen) and forgets it.
func (a *Agent) gone(id string, when time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	rec, ok := a.seen[id]
	if !ok {
		// Inspected ids are full; an event may carry a full id too.
		for k, r := range a.seen {
			if strings.HasPrefix(k, id) {
				id, rec, ok = k, r, true
				break
			}
		}
	}
	if !ok {
		return
	}
	delete(a.seen, id)
	if rec.Stopped != 0 {
		return
	}
	rec.Stopped = stopTime(rec.Started, when)
	a.pending[id] = rec
	a.signal(a.kick)
}

func stopTime(started int64, when time.Time) int64 {
	if when.IsZero() {
		when = time.Now()
	}
	return max(when.Unix(), started, 1)
}

// queue remembers a record and schedules it for sending.
func (a *Agent) queue(rec store.Container) {
	a.mu.Lock()
	a.seen[rec.ContainerID] = rec
	a.pending[rec.ContainerID] = rec
	a.mu.Unlock()
	a.signal(a.kick)
}

func (a *Agent) signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// inspected is the part of GET /containers/{id}/json the agent reads.
type inspected struct {
	ID     string `json:"Id"`
	Name   string
	Image  string
	Config struct {
		Image  string
		Labels map[string]string
	}
	State struct {
		Running    bool
		StartedAt  string
		FinishedAt string
	}
}

// Compose's labels; podman-compose sets the same ones.
const (
	labelProject = "com.docker.compose.project"
	labelService = "com.docker.compose.service"
)

// record maps an inspect answer to a container record; ok is false for
// a container that never started (it runs nothing).
func (a *Agent) record(ctx context.Context, host string, raw json.RawMessage) (store.Container, bool, error) {
	var d inspected
	if err := json.Unmarshal(raw, &d); err != nil {
		return store.Container{}, false, fmt.Errorf("inspect answer: %w", err)
	}
	started := parseTime(d.State.StartedAt)
	if d.ID == "" || started.IsZero() {
		return store.Container{}, false, nil
	}
	digest, err := a.digestOf(ctx, d.Image, d.Config.Image)
	if err != nil {
		return store.Container{}, false, err
	}
	rec := store.Container{
		Host: host, ContainerID: d.ID, Name: strings.TrimPrefix(d.Name, "/"),
		ImageDigest: digest, ImageRef: refOf(d.Config.Image),
		ComposeProject: d.Config.Labels[labelProject], ComposeService: d.Config.Labels[labelService],
		Started: started.Unix(),
	}
	if !d.State.Running {
		rec.Stopped = stopTime(rec.Started, parseTime(d.State.FinishedAt))
	}
	if err := rec.Validate(); err != nil {
		return store.Container{}, false, err
	}
	a.mu.Lock()
	a.jobs[digest] = scanJob{image: imageID(d.Image), ref: rec.ImageRef}
	a.mu.Unlock()
	return rec, true, nil
}

// parseTime reads the engines' RFC 3339 times; the zero time
// (0001-01-01) and anything unreadable are zero.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1971 {
		return time.Time{}
	}
	return t
}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// imageID normalises an image ID: Docker writes sha256:<hex>, and some
// Podman versions the bare hex.
func imageID(id string) string {
	if hex64.MatchString(id) {
		return "sha256:" + id
	}
	return id
}

// refOf is the reference to record for the image a container was made
// from, empty when it was made from a bare image ID.
func refOf(configImage string) string {
	if strings.HasPrefix(configImage, "sha256:") || hex64.MatchString(configImage) {
		return ""
	}
	return configImage
}

// repoOf is the repository of a reference or of a RepoDigests entry:
// without tag or digest.
func repoOf(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// digestOf names the image a container runs: the registry digest of
// the container's repository when the engine records one, else any
// registry digest, else the image ID.
func (a *Agent) digestOf(ctx context.Context, id, configImage string) (string, error) {
	id = imageID(id)
	a.mu.Lock()
	d, ok := a.images[id+"\x00"+configImage]
	a.mu.Unlock()
	if ok {
		return d, nil
	}
	img, err := a.o.Engine.Image(ctx, id)
	if err != nil {
		return "", fmt.Errorf("image %s: %w", short(id), err)
	}
	d = imageID(img.ID)
	if d == "" {
		d = id
	}
	want := repoOf(configImage)
	var first string
	for _, rd := range img.RepoDigests {
		_, dg, ok := strings.Cut(rd, "@")
		if !ok || !store.ValidDigest(dg) {
			continue
		}
		if first == "" {
			first = dg
		}
		if want != "" && (repoOf(rd) == want || strings.HasSuffix(repoOf(rd), "/"+want)) {
			first = dg
			break
		}
	}
	if first != "" {
		d = first
	}
	if !store.ValidDigest(d) {
		return "", fmt.Errorf("image %s: no usable digest (id %q)", short(id), img.ID)
	}
	a.mu.Lock()
	a.images[id+"\x00"+configImage] = d
	a.mu.Unlock()
	return d, nil
}

func short(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// resync lists every container and queues a record of each (the server
// may have lost them), records containers removed since as stopped, and
// forgets what it knew about images.
func (a *Agent) resync(ctx context.Context, host string) error {
	list, err := a.o.Engine.ListLabelled(ctx, a.o.Labels)
	if err != nil {
		return err
	}
	a.resyncs.Add(1)
	a.mu.Lock()
	a.images, a.jobs, a.known = map[string]string{}, map[string]scanJob{}, map[string]bool{}
	a.mu.Unlock()
	present := map[string]bool{}
	for _, l := range list {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if l.ID == "" {
			continue
		}
		present[l.ID] = true
		raw, err := a.o.Engine.Inspect(ctx, l.ID)
		if errors.Is(err, engineapi.ErrNotFound) {
			present[l.ID] = false
			continue
		}
		if err != nil {
			return fmt.Errorf("inspect %s: %w", short(l.ID), err)
		}
		rec, ok, err := a.record(ctx, host, raw)
		if err != nil {
			a.log.Warn("container record", "id", short(l.ID), "err", err)
			continue
		}
		if ok {
			a.queue(rec)
		}
	}
	now := time.Now()
	a.mu.Lock()
	var gone []string
	for id := range a.seen {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	a.mu.Unlock()
	for _, id := range gone {
		a.gone(id, now)
	}
	a.log.Debug("resync", "containers", len(list), "removed", len(gone))
	return nil
}

// sender sends pending records a moment after they appear, and again
// with backoff while the server does not take them.
func (a *Agent) sender(ctx context.Context) {
	b := backoff{min: 500 * time.Millisecond, max: a.o.MaxBackoff}
	for {
		select {
		case <-ctx.Done():
			a.finalFlush(ctx)
			return
		case <-a.kick:
		}
		if !sleep(ctx, a.o.BatchDelay) {
			a.finalFlush(ctx)
			return
		}
		if err := a.flush(ctx); err != nil {
			if ctx.Err() != nil {
				a.finalFlush(ctx)
				return
			}
			a.sendErrs.Add(1)
			d := b.next()
			a.log.Warn("fleet server did not take the records; retrying", "err", err, "in", d.Round(time.Millisecond))
			if !sleep(ctx, d) {
				a.finalFlush(ctx)
				return
			}
			a.signal(a.kick)
			continue
		}
		b.reset()
	}
}

// finalFlush sends what is pending when the agent stops, so that a
// container stopped just before is not reported running.
func (a *Agent) finalFlush(ctx context.Context) {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := a.flush(fctx); err != nil {
		a.log.Warn("records not sent before stopping", "err", err)
	}
}

// flush sends the pending records, in requests of at most
// server.MaxContainers, then asks which of their images the server has
// no SBOM of and queues those for scanning.
func (a *Agent) flush(ctx context.Context) error {
	const chunk = 5000
	for {
		a.mu.Lock()
		batch := make([]store.Container, 0, min(len(a.pending), chunk))
		for _, r := range a.pending {
			if len(batch) == chunk {
				break
			}
			batch = append(batch, r)
		}
		a.mu.Unlock()
		if len(batch) == 0 {
			return nil
		}
		if err := a.o.Fleet.PutContainers(ctx, batch); err != nil {
			return err
		}
		a.sent.Add(int64(len(batch)))
		a.mu.Lock()
		for _, r := range batch {
			// A newer record of the same container that came in meanwhile
			// stays pending.
			if a.pending[r.ContainerID] == r {
				delete(a.pending, r.ContainerID)
			}
		}
		a.mu.Unlock()
		a.log.Debug("sent container records", "n", len(batch))
		if err := a.checkImages(ctx, batch); err != nil {
			a.log.Warn("ask the server for missing SBOMs", "err", err)
		}
	}
}

// checkImages queues for scanning the images of batch the server holds
// no SBOM of.
func (a *Agent) checkImages(ctx context.Context, batch []store.Container) error {
	if a.o.NoScan {
		return nil
	}
	a.mu.Lock()
	set := map[string]bool{}
	var ask []string
	for _, r := range batch {
		if _, q := a.queued[r.ImageDigest]; q || a.known[r.ImageDigest] || set[r.ImageDigest] {
			continue
		}
		set[r.ImageDigest] = true
		ask = append(ask, r.ImageDigest)
	}
	a.mu.Unlock()
	for len(ask) > 0 {
		n := min(len(ask), store.MaxDigestQuery)
		missing, err := a.o.Fleet.MissingSBOMs(ctx, ask[:n])
		if err != nil {
			return err
		}
		miss := map[string]bool{}
		for _, d := range missing {
			miss[d] = true
		}
		a.mu.Lock()
		for _, d := range ask[:n] {
			if !miss[d] {
				a.known[d] = true
				continue
			}
			job, ok := a.jobs[d]
			if !ok {
				continue
			}
			if _, q := a.queued[d]; !q {
				a.queued[d] = job
				a.order = append(a.order, d)
			}
		}
		a.mu.Unlock()
		a.signal(a.scanSig)
		ask = ask[n:]
	}
	return nil
}

// scanner exports, catalogues and uploads queued images one at a time:
// an export reads the whole image, and a host starting many containers
// must not start as many exports.
func (a *Agent) scanner(ctx context.Context) {
	for {
		a.mu.Lock()
		var d string
		var job scanJob
		if len(a.order) > 0 {
			d, a.order = a.order[0], a.order[1:]
			job = a.queued[d]
		}
		a.mu.Unlock()
		if d == "" {
			select {
			case <-ctx.Done():
				return
			case <-a.scanSig:
				continue
			}
		}
		err := a.scanOne(ctx, d, job)
		a.mu.Lock()
		delete(a.queued, d)
		if err == nil {
			a.known[d] = true
		}
		a.mu.Unlock()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// Dropped from the queue: the next resync asks again.
			a.scanErrs.Add(1)
			a.log.Warn("scan image", "digest", d, "err", err)
		}
	}
}

func (a *Agent) scanOne(ctx context.Context, digest string, job scanJob) error {
	start := time.Now()
	doc, err := a.o.Scan(ctx, job.image)
	if err != nil {
		return err
	}
	up, err := a.o.Fleet.UploadSBOM(ctx, job.ref, digest, doc)
	if err != nil {
		return fmt.Errorf("upload SBOM: %w", err)
	}
	a.scanned.Add(1)
	a.log.Info("uploaded SBOM", "digest", digest, "ref", job.ref, "packages", up.Packages, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// backoff doubles a wait from min to max, with jitter so that many
// agents that lost the same server do not return in step.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(b.cur*2, b.max)
	}
	return b.cur/2 + rand.N(b.cur/2+1)
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
