package client

import (
	"context"
	"encoding/json"
	"net/http"
)

// MissingSBOMs asks the server which of the digests it holds no SBOM of
// (POST /api/v1/sboms/missing, ingest scope).
func (c *Client) MissingSBOMs(ctx context.Context, digests []string) ([]string, error) {
	body, err := json.Marshal(map[string]any{"digests": digests})
	if err != nil {
		return nil, err
	}
	var out struct {
		Missing []string `json:"missing"`
	}
	if err := c.do(ctx, http.MethodPost, "/api/v1/sboms/missing", body, http.StatusOK, &out); err != nil {
		return nil, err
	}
	return out.Missing, nil
}
