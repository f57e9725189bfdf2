package image

import (
	"bytes"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// account is one line of /etc/passwd, /etc/group or /etc/shadow split on
// colons, with its line number.
type account struct {
	fields []string
	line   int
}

// accounts parses a colon-separated account file from the capture.
func accounts(im *image.Image, p string) ([]account, bool) {
	data, ok := im.ReadCaptured(p)
	if !ok {
		return nil, false
	}
	var out []account
	for i, l := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(l))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		out = append(out, account{fields: strings.Split(s, ":"), line: i + 1})
	}
	return out, true
}

// layerOf returns the layer of a final-view file, or configLayer.
func layerOf(im *image.Image, p string) int {
	if f := file(im, p); f != nil {
		return f.Layer
	}
	return configLayer
}
