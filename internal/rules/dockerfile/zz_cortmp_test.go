package dockerfile

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/scan"
)

func TestCorTmp(t *testing.T) {
	data, _ := os.ReadFile(os.Getenv("CORFILE"))
	f, _ := dockerfile.Parse("x", data, dockerfile.Options{})
	reg, _ := Registry()
	for _, fd := range scan.LintDockerfile(context.Background(), f, reg, nil, time.Now()) {
		t.Log(fd.RuleID, fd.Range, fd.Message)
	}
}
