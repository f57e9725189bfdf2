package agent

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// EngineScanner returns a Scanner that exports an image through ec (the
// Engine API's "docker save", which Podman serves too, over the client's
// own transport: a unix socket, plain TCP or TLS with the client's
// certificates), catalogues it as `shipshape sbom docker:ID` does and
// encodes the SBOM as CycloneDX JSON, the document `shipshape push`
// uploads. tempDir is where the export is spooled ("" for the system's);
// toolVersion names shipshape in the document.
func EngineScanner(ec *engineapi.Client, tempDir, toolVersion string) Scanner {
	return func(ctx context.Context, image string) ([]byte, error) {
		archive, err := ec.SaveImage(ctx, image, tempDir)
		if err != nil {
			return nil, err
		}
		defer os.Remove(archive)
		res, err := engine.SBOM(ctx, engine.SBOMOptions{
			Ref:  "docker-archive:" + archive,
			Open: imageread.OpenOptions{NoDaemon: true, TempDir: tempDir},
		})
		if err != nil {
			return nil, fmt.Errorf("catalogue image %s: %w", image, err)
		}
		// The document names the engine's image, not the spooled file.
		res.SBOM.Subject, res.SBOM.Source = "docker:"+image, "docker"
		var doc bytes.Buffer
		if err := encode.Write(&doc, encode.CycloneDXJSON, res.SBOM, encode.Options{ToolVersion: toolVersion}); err != nil {
			return nil, fmt.Errorf("encode SBOM of %s: %w", image, err)
		}
		return doc.Bytes(), nil
	}
}
