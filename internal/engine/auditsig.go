package engine

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/trust"
)

// verifyContainers leaves on every container of snap the verdict on the
// signatures of the image it runs (audit --require-signature), for RT1106
// to report. The image is found by its repo digests (the engine's
// RepoDigests of the container's image): an image without one was built
// or imported locally and cannot show registry signatures, which is a
// verdict that fails, not a pass. Each distinct image is verified once,
// however many containers run it.
func verifyContainers(ctx context.Context, c *engineapi.Client, snap *live.Snapshot, sc *SignatureCheck) {
	byImage := map[string]*container.SignatureVerdict{}
	for i := range snap.Containers {
		if ctx.Err() != nil {
			return
		}
		ct := &snap.Containers[i]
		var d struct{ Image string }
		if err := json.Unmarshal(ct.Inspect, &d); err != nil || d.Image == "" {
			ct.Signature = &container.SignatureVerdict{Problem: "the container's image is not named in its inspect answer, so its signatures cannot be verified"}
			continue
		}
		v, ok := byImage[d.Image]
		if !ok {
			v = verifyImage(ctx, c, d.Image, sc)
			byImage[d.Image] = v
		}
		ct.Signature = v
	}
}

// verifyImage verifies one image under each of its repo digests in turn;
// the first that verifies makes the verdict. When none does, the problem
// of each is kept, a registry that cannot be reached included: the check
// was asked for and not made, so it fails closed.
func verifyImage(ctx context.Context, c *engineapi.Client, image string, sc *SignatureCheck) *container.SignatureVerdict {
	digests, err := c.RepoDigests(ctx, image)
	if err != nil {
		return &container.SignatureVerdict{Problem: "the image " + image + " could not be inspected: " + err.Error()}
	}
	if len(digests) == 0 {
		return &container.SignatureVerdict{Problem: "the image " + shortImage(image) + " has no registry digest (it was built or " +
			"imported locally, or never pulled by a registry reference), so its signatures cannot be verified"}
	}
	var problems []string
	for _, rd := range digests {
		res, err := trust.Verify(ctx, rd, sc.Policy, sc.Options)
		switch {
		case err != nil:
			problems = append(problems, rd+": could not be verified: "+err.Error())
		case res.Verified():
			return &container.SignatureVerdict{Verified: true, Ref: rd}
		default:
			problems = append(problems, rd+": "+res.Problem())
		}
	}
	return &container.SignatureVerdict{Ref: digests[0], Problem: strings.Join(problems, "; ")}
}

// shortImage is an image id as docker prints it (12 hex digits).
func shortImage(id string) string {
	h := strings.TrimPrefix(id, "sha256:")
	if len(h) > 12 {
		h = h[:12]
	}
	return h
}
