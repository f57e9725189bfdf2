package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus series, on a registry of its own
// (no global state: two servers in one process do not share counters).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ingested prometheus.Counter
	links    prometheus.Counter
	matched  prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shipshape_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shipshape_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		ingested: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shipshape_sboms_ingested_total", Help: "SBOMs stored.",
		}),
		links: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shipshape_package_links_ingested_total", Help: "Image-package links stored.",
		}),
		matched: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shipshape_packages_matched_total", Help: "Package versions matched against the vulnerability database.",
		}),
	}
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "shipshape_packages_pending_match", Help: "Package versions waiting to be matched.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := s.st.Pending(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.reg.MustRegister(m.requests, m.latency, m.ingested, m.links, m.matched, pending,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
