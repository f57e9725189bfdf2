package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/riverqueue/river"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// EventExposure is the event name of a webhook body.
const EventExposure = "vulnerability.exposure"

// NotifyArgs is one webhook POST: an advisory newly affecting running
// containers of one image.
type NotifyArgs struct {
	URL      string         `json:"url" river:"unique"`
	Exposure store.Exposure `json:"exposure" river:"unique"`
}

// Kind names the job kind in River's table.
func (NotifyArgs) Kind() string { return "fleet_notify" }

// InsertOpts: a notification is unique by its arguments in every state
// but discarded, so that queuing it twice sends it once; retried with
// backoff for about a day before it is given up.
func (NotifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 20, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Notification is the JSON body a webhook receives.
type Notification struct {
	Event string `json:"event"`
	store.Exposure
	// Attempt counts deliveries of this notification, from 1.
	Attempt int   `json:"attempt"`
	Sent    int64 `json:"sent"`
}

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	r *Runner
}

// Work posts the notification. A 2xx answer delivers it; 408, 429, 5xx
// and network errors are retried; another 4xx cancels it (the receiver
// refuses it, and will go on refusing).
func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	body, err := json.Marshal(Notification{Event: EventExposure, Exposure: job.Args.Exposure, Attempt: job.Attempt, Sent: time.Now().Unix()})
	if err != nil {
		return river.JobCancel(fmt.Errorf("encode notification: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.Args.URL, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(fmt.Errorf("webhook %s: %w", job.Args.URL, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "shipshape-fleet")
	resp, err := w.r.cfg.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", job.Args.URL, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return fmt.Errorf("webhook %s: %s", job.Args.URL, resp.Status)
	default:
		return river.JobCancel(fmt.Errorf("webhook %s refused the notification: %s", job.Args.URL, resp.Status))
	}
}

// CheckWebhook says what is wrong with a webhook URL: it must be an
// absolute http or https URL.
func CheckWebhook(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}
