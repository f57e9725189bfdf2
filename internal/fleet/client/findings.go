package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// Upload is an SBOM upload with what the server may know of the image
// besides its packages.
type Upload struct {
	Ref, Digest string
	// BaseName and BaseDigest name the image's base image, when known.
	BaseName, BaseDigest string
	Doc                  []byte
}

// UploadImage uploads an SBOM document with the image's base image.
// Servers that predate base images ignore the extra parameters.
func (c *Client) UploadImage(ctx context.Context, u Upload) (Ingested, error) {
	q := url.Values{}
	for k, v := range map[string]string{"image": u.Ref, "digest": u.Digest, "base": u.BaseName, "baseDigest": u.BaseDigest} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var out Ingested
	err := c.do(ctx, http.MethodPost, "/api/v1/sboms?"+q.Encode(), u.Doc, http.StatusCreated, &out)
	return out, err
}

// UploadFindings replaces the rule findings the server keeps for the
// image digest (uploaded after its SBOM).
func (c *Client) UploadFindings(ctx context.Context, digest string, fs []store.Finding) error {
	if fs == nil {
		fs = []store.Finding{}
	}
	body, err := json.Marshal(map[string]any{"findings": fs})
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, "/api/v1/images/"+url.PathEscape(digest)+"/findings", body, http.StatusOK, nil)
}

// IsNoEndpoint tells whether err is a server's answer that it has no such
// endpoint (a server older than the call).
func IsNoEndpoint(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound && strings.HasPrefix(se.Message, "no such endpoint")
}

// StatusError is a server's answer with another status than the call
// expects, with the server's message.
type StatusError struct {
	Code    int
	Status  string
	Message string
}

func (e *StatusError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("server: %s (%s)", e.Message, e.Status)
	}
	return fmt.Sprintf("server: %s", e.Status)
}
