package imageread

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-sec/shipshape/internal/image"
)

func scan(ctx context.Context, src Source, opts ScanOptions) (*image.Image, error) {
	cfg, err := src.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s: read config: %w", src.Ref(), err)
	}
	layers, err := src.Layers()
	if err != nil {
		return nil, fmt.Errorf("%s: list layers: %w", src.Ref(), err)
	}
	img := &image.Image{
		Ref:      src.Ref(),
		Source:   src.Kind(),
		Digest:   src.Digest(),
		Platform: src.Platform(),
		Config:   configOf(cfg),
	}
	img.History, img.Layers = historyOf(cfg, layers)

	cache := newCache(&opts)
	results := make([]*layerResult, len(layers))
	errs := make([]error, len(layers))
	budget := &atomic.Int64{}
	budget.Store(int64(opts.MaxEntries))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, l := range layers {
		if res := cache.load(l); res != nil {
			budget.Add(-int64(res.Entries.N))
			results[i] = res
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := readLayer(ctx, l, i, &opts, budget)
			if err != nil {
				errs[i] = fmt.Errorf("layer %d %s: %w", i, layerName(l), err)
				cancel()
				return
			}
			results[i] = res
			cache.store(l, res)
		}()
	}
	wg.Wait()
	// Report the first layer's error rather than a cancellation it caused
	// elsewhere.
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || (isCanceled(first) && !isCanceled(err))) {
			first = err
		}
	}
	if first != nil {
		return nil, fmt.Errorf("%s: %w", src.Ref(), first)
	}
	if budget.Load() < 0 {
		return nil, fmt.Errorf("%s: more than %d entries in the image: %w", src.Ref(), opts.MaxEntries, ErrLimit)
	}

	total := 0
	for _, res := range results {
		total += res.Entries.N
	}
	m := newMerger(img, total)
	for i, res := range results {
		img.Layers[i].Size = res.Size
		img.Layers[i].Files = res.Entries.N
		img.Warnings = append(img.Warnings, res.Warnings...)
		for _, s := range res.Secrets {
			s.Layer = i
			img.Secrets = append(img.Secrets, s)
			m.fileAt[layerPath{i, s.Path}] = -1
		}
		for _, r := range res.Records {
			r.Layer = i
			img.Records = append(img.Records, r)
			m.fileAt[layerPath{i, r.Path}] = -1
		}
	}
	for i, res := range results {
		if err := m.apply(i, res); err != nil {
			return nil, fmt.Errorf("%s: layer %d %s: %w", src.Ref(), i, layerName(layers[i]), err)
		}
		// The entries are in the tree now: let them go before the next
		// layer's are decoded.
		res.Entries = entryList{}
	}
	m.finish(results)
	return img, nil
}

func isCanceled(err error) bool {
	return err != nil && strings.Contains(err.Error(), context.Canceled.Error())
}

func readLayer(ctx context.Context, l LayerSource, i int, opts *ScanOptions, budget *atomic.Int64) (res *layerResult, err error) {
	defer func() {
		// A decompressor or a source must not take the process down on a
		// hostile layer.
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("corrupt: %v", v)
		}
	}()
	rc, err := l.Open()
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	if _, ok := rc.(io.Seeker); ok {
		// Nothing to inflate, so nothing to overlap: read ahead would
		// only copy content that tar can seek past.
		return scanLayer(ctx, rc, i, opts, budget)
	}
	ra := newReadAhead(rc)
	defer ra.Close()
	return scanLayer(ctx, ra, i, opts, budget)
}

// layerName names a layer in messages by its digest.
func layerName(l LayerSource) string {
	if d := l.Digest(); d != "" {
		return d
	}
	if d := l.DiffID(); d != "" {
		return d
	}
	if n, ok := l.(interface{ Name() string }); ok {
		return n.Name()
	}
	return "(no digest)"
}

func configOf(cf *v1.ConfigFile) image.Config {
	if cf == nil {
		return image.Config{}
	}
	c := image.Config{
		User:         cf.Config.User,
		Env:          cf.Config.Env,
		Labels:       cf.Config.Labels,
		Entrypoint:   cf.Config.Entrypoint,
		Cmd:          cf.Config.Cmd,
		WorkingDir:   cf.Config.WorkingDir,
		Created:      cf.Created.Time,
		OS:           cf.OS,
		Architecture: cf.Architecture,
	}
	for p := range cf.Config.ExposedPorts {
		c.ExposedPorts = append(c.ExposedPorts, p)
	}
	sort.Strings(c.ExposedPorts)
	if hc := cf.Config.Healthcheck; hc != nil {
		c.Healthcheck = &image.Healthcheck{Test: hc.Test}
	}
	return c
}

// historyOf maps the non-empty history entries to the layers in order, as
// Docker does, and fills each layer's identity.
func historyOf(cf *v1.ConfigFile, layers []LayerSource) ([]image.History, []image.Layer) {
	ls := make([]image.Layer, len(layers))
	for i, l := range layers {
		ls[i] = image.Layer{Index: i, Digest: l.Digest(), DiffID: l.DiffID()}
		if ls[i].Digest == "" {
			ls[i].Digest = ls[i].DiffID
		}
	}
	if cf == nil {
		return nil, ls
	}
	hs := make([]image.History, 0, len(cf.History))
	next := 0
	for _, h := range cf.History {
		e := image.History{CreatedBy: h.CreatedBy, Created: h.Created.Time, EmptyLayer: h.EmptyLayer, Comment: h.Comment, Layer: -1}
		if !h.EmptyLayer && next < len(ls) {
			e.Layer = next
			ls[next].CreatedBy = h.CreatedBy
			next++
		}
		hs = append(hs, e)
	}
	return hs, ls
}
