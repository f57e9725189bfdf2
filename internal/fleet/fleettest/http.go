package fleettest

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// Do sends one API request to a test server at base with the bearer
// token (none when empty) and returns the status and the whole body; any
// transport error fails the test.
func Do(t testing.TB, c *http.Client, base, method, path, token string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}
