package image

import (
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// imageOf is this package's input: every rule here checks one scanned
// image (configuration, history, files of every layer).
func imageOf(p *rule.Pass) *image.Image { return p.Input.(*image.Image) }
