package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// SBOMOptions configure one SBOM run.
type SBOMOptions struct {
	// Ref is an image reference or a directory (see imageread.Open).
	Ref     string
	Open    imageread.OpenOptions
	NoCache bool
}

// SBOM reads an image or a directory in one pass and catalogues its
// packages into Result.SBOM; the reader's warnings and the catalogue's
// notes (no package database found) become warnings. An error means the
// input could not be read.
func SBOM(ctx context.Context, o SBOMOptions) (*Result, error) {
	img, err := readImage(ctx, o.Ref, o.Open, sbom.ScanOptions(imageread.ScanOptions{Capture: image.DefaultCapture, NoCache: o.NoCache}))
	if err != nil {
		if errors.Is(err, imageread.ErrNotImage) {
			return nil, fmt.Errorf("sbom %s: %w (sbom reads images and directories)", o.Ref, err)
		}
		return nil, fmt.Errorf("sbom %s: %w", o.Ref, err)
	}
	s := sbom.FromImage(img)
	res := &Result{Files: []string{o.Ref}, SBOM: s}
	for _, w := range img.Warnings {
		res.addWarning(o.Ref, w)
	}
	for _, n := range s.Notes {
		res.addWarning(o.Ref, n)
	}
	return res, nil
}
