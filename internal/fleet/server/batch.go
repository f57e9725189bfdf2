package server

import (
	"context"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// ingestReq is one upload waiting for the writer.
type ingestReq struct {
	ctx  context.Context
	im   store.Image
	done chan ingestDone
}

type ingestDone struct {
	res store.IngestResult
	err error
}

// MaxGroup bounds the SBOMs one group commit writes.
const MaxGroup = 256

// writer stores uploads by group commit: it takes the first waiting
// upload and every other already waiting (up to MaxGroup), writes them in
// one transaction and answers each after the commit. An idle server adds
// no delay (a lone upload is a group of one); under concurrent uploads
// the shared pages are written once per group. When a group fails, its
// uploads are retried one by one, so that one bad SBOM fails alone.
func (s *Server) writer(ctx context.Context) {
	for {
		var first ingestReq
		select {
		case <-ctx.Done():
			return
		case first = <-s.ingestQ:
		}
		group := []ingestReq{first}
	drain:
		for len(group) < MaxGroup {
			select {
			case r := <-s.ingestQ:
				group = append(group, r)
			default:
				break drain
			}
		}
		s.writeGroup(group)
	}
}

func (s *Server) writeGroup(group []ingestReq) {
	live := group[:0]
	for _, r := range group {
		if r.ctx.Err() == nil {
			live = append(live, r)
		} else {
			r.done <- ingestDone{err: r.ctx.Err()}
		}
	}
	if len(live) == 0 {
		return
	}
	ims := make([]store.Image, len(live))
	for i, r := range live {
		ims[i] = r.im
	}
	// The group is written even if the server is shutting down: its
	// uploads are in flight and are answered.
	res, err := s.st.IngestBatch(context.WithoutCancel(live[0].ctx), ims)
	if err == nil {
		for i, r := range live {
			r.done <- ingestDone{res: res[i]}
		}
		return
	}
	if len(live) == 1 {
		live[0].done <- ingestDone{err: err}
		return
	}
	for _, r := range live {
		res, err := s.st.Ingest(context.WithoutCancel(r.ctx), r.im)
		r.done <- ingestDone{res: res, err: err}
	}
}

// ingest hands an upload to the writer and waits for its commit.
func (s *Server) ingest(ctx context.Context, im store.Image) (store.IngestResult, error) {
	r := ingestReq{ctx: ctx, im: im, done: make(chan ingestDone, 1)}
	select {
	case s.ingestQ <- r:
	case <-ctx.Done():
		return store.IngestResult{}, ctx.Err()
	}
	d := <-r.done
	return d.res, d.err
}
