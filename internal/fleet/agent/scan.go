package agent

import (
	"bytes"
	"context"
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// EngineScanner returns a Scanner that exports an image from the engine
// at host (the Engine API's "docker save", which Podman serves too),
// catalogues it as `shipshape sbom docker:ID` does and encodes the SBOM
// as CycloneDX JSON, the document `shipshape push` uploads. tempDir is
// where the export is spooled ("" for the system's); toolVersion names
// shipshape in the document.
func EngineScanner(host, tempDir, toolVersion string) Scanner {
	return func(ctx context.Context, image string) ([]byte, error) {
		res, err := engine.SBOM(ctx, engine.SBOMOptions{
			Ref:  "docker:" + image,
			Open: imageread.OpenOptions{DockerHost: host, TempDir: tempDir},
		})
		if err != nil {
			return nil, err
		}
		var doc bytes.Buffer
		if err := encode.Write(&doc, encode.CycloneDXJSON, res.SBOM, encode.Options{ToolVersion: toolVersion}); err != nil {
			return nil, fmt.Errorf("encode SBOM of %s: %w", image, err)
		}
		return doc.Bytes(), nil
	}
}
