package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/fleet/client"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// EnvToken names the variable holding the fleet API token for push.
const EnvToken = "SHIPSHAPE_TOKEN"

func newPushCmd(e *env) *cobra.Command {
	var serverURL, token, digest string
	cmd := &cobra.Command{
		Use:   "push REF",
		Short: "Catalogue an image locally and upload its SBOM to a fleet server",
		Long: `Read an image (any source 'shipshape sbom' reads: registry, daemon, archive,
OCI layout, directory), catalogue its packages and upload the SBOM
(CycloneDX JSON) to the fleet server, which matches it against its
vulnerability database. The image is identified by its manifest digest:
the one the source reports, or --digest (required for a directory).
The token needs the ingest scope. Findings are not uploaded yet.`,
		Example: `  shipshape push registry.example/shop/api:1.4 --server https://fleet.example:8443
  SHIPSHAPE_TOKEN=sst_… shipshape push docker:shop/api:1.4 --server http://127.0.0.1:8080
  shipshape push dir:./rootfs --digest sha256:… --server http://127.0.0.1:8080 --token sst_…`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv(EnvToken)
			}
			c, err := client.New(serverURL, token, &http.Client{Timeout: 5 * time.Minute})
			if err != nil {
				return usageErr("%v", err)
			}
			if digest != "" && !store.ValidDigest(digest) {
				return usageErr("--digest %q is not sha256:<64 lower-case hex>", digest)
			}
			res, err := engine.SBOM(e.ctx, engine.SBOMOptions{Ref: args[0]})
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if digest == "" {
				digest = res.SBOM.Digest
			}
			if digest == "" {
				return usageErr("%s has no manifest digest (a directory?): pass --digest sha256:…", args[0])
			}
			var doc bytes.Buffer
			if err := encode.Write(&doc, encode.CycloneDXJSON, res.SBOM, encode.Options{ToolVersion: e.build.Version}); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			up, err := c.UploadSBOM(e.ctx, args[0], digest, doc.Bytes())
			if err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("push %s: %w", args[0], err)}
			}
			fmt.Fprintf(e.stdout, "pushed %s (%s): image %d, %d packages, %d new to the fleet\n", args[0], up.Digest, up.ImageID, up.Packages, up.NewPackages)
			return nil
		},
	}
	cmd.Flags().StringVar(&serverURL, "server", "", "fleet server URL, http(s)://host:port (required)")
	cmd.Flags().StringVar(&token, "token", "", "API token with the ingest scope (default: $"+EnvToken+")")
	cmd.Flags().StringVar(&digest, "digest", "", "the image's manifest digest, when the source does not report one")
	return cmd
}
