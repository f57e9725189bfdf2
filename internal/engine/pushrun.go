package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// PushOptions configure one push run: what `shipshape push` uploads.
type PushOptions struct {
	Ref     string
	Open    imageread.OpenOptions
	NoCache bool
	Rules   *rule.Registry
	Config  *config.Config
	Now     time.Time
}

// PushResult is an image's SBOM and rule findings from one read, and the
// base image its OCI annotations name.
type PushResult struct {
	Result
	BaseName, BaseDigest string
}

// pushScanners are the image scanners a push runs: every one but vuln,
// since the fleet server matches vulnerabilities itself (and again after
// each database update).
var pushScanners = map[string]bool{"config": true, "secret": true, "files": true, "bloat": true}

// Push reads an image once and returns both its SBOM and the findings of
// the image rules (vulnerabilities excepted), fingerprinted as `shipshape
// image` fingerprints them, so that the fleet can tell a finding that
// persists from one image version to the next.
func Push(ctx context.Context, o PushOptions) (*PushResult, error) {
	if o.Config == nil {
		o.Config = config.Default()
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	img, err := readImage(ctx, o.Ref, o.Open, imageScanOptions(o.Rules, o.Config, pushScanners, true, o.NoCache))
	if err != nil {
		if errors.Is(err, imageread.ErrNotImage) {
			return nil, fmt.Errorf("push %s: %w (push reads images and directories)", o.Ref, err)
		}
		return nil, fmt.Errorf("push %s: %w", o.Ref, err)
	}
	s := sbom.FromImage(img)
	res := &PushResult{Result: Result{Files: []string{o.Ref}, SBOM: s}}
	res.Findings = ScanImage(ctx, img, o.Rules, o.Config, pushScanners, o.Now)
	for _, w := range img.Warnings {
		res.addWarning(o.Ref, w)
	}
	for _, n := range s.Notes {
		res.addWarning(o.Ref, n)
	}
	l := img.Config.Labels
	res.BaseName, res.BaseDigest = l["org.opencontainers.image.base.name"], l["org.opencontainers.image.base.digest"]
	return res, nil
}
