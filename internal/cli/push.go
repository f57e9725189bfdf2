package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/fleet/client"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// EnvToken names the variable holding the fleet API token for push.
const EnvToken = "SHIPSHAPE_TOKEN"

func newPushCmd(e *env) *cobra.Command {
	var serverURL, token, digest string
	cmd := &cobra.Command{
		Use:   "push REF",
		Short: "Scan an image locally and upload its SBOM and findings to a fleet server",
		Long: `Read an image (any source 'shipshape sbom' reads: registry, daemon, archive,
OCI layout, directory), catalogue its packages and upload the SBOM
(CycloneDX JSON) to the fleet server, which matches it against its
vulnerability database. The image is identified by its manifest digest:
the one the source reports, or --digest (required for a directory).
The image rules run too (configuration, secrets, files, bloat; not
vulnerabilities, which the server matches itself) and their findings are
uploaded with the SBOM, together with the base image the image's labels
name (org.opencontainers.image.base.name and .digest). A server that
predates findings keeps the SBOM and push says it skipped the findings.
The token needs the ingest scope.`,
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
			res, err := engine.Push(e.ctx, engine.PushOptions{Ref: args[0], Rules: e.rules})
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
			up, err := c.UploadImage(e.ctx, client.Upload{Ref: args[0], Digest: digest, BaseName: res.BaseName, BaseDigest: res.BaseDigest, Doc: doc.Bytes()})
			if err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("push %s: %w", args[0], err)}
			}
			fs := pushFindings(e, res.Findings)
			findings := fmt.Sprintf("%d findings", len(fs))
			if err := c.UploadFindings(e.ctx, digest, fs); err != nil {
				if !client.IsNoEndpoint(err) {
					return &exitError{code: ExitError, err: fmt.Errorf("push %s findings: %w", args[0], err)}
				}
				fmt.Fprintf(e.stderr, "shipshape: %s: the server does not take findings (an older version): only the SBOM was pushed\n", args[0])
				findings = "findings not pushed"
			}
			fmt.Fprintf(e.stdout, "pushed %s (%s): image %d, %d packages, %d new to the fleet, %s\n", args[0], up.Digest, up.ImageID, up.Packages, up.NewPackages, findings)
			return nil
		},
	}
	cmd.Flags().StringVar(&serverURL, "server", "", "fleet server URL, http(s)://host:port (required)")
	cmd.Flags().StringVar(&token, "token", "", "API token with the ingest scope (default: $"+EnvToken+")")
	cmd.Flags().StringVar(&digest, "digest", "", "the image's manifest digest, when the source does not report one")
	return cmd
}

// pushFindings turns the scan's findings into the records the server
// keeps: suppressed findings stay home (a suppression is the user's
// decision about this image), the rule's title comes along so that the
// server needs no rule table.
func pushFindings(e *env, fs []rule.Finding) []store.Finding {
	out := []store.Finding{}
	for _, f := range fs {
		if f.Suppression != nil {
			continue
		}
		sf := store.Finding{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Severity: strings.ToLower(f.Severity.String()), Message: f.Message}
		if r, ok := e.rules.Get(f.RuleID); ok {
			sf.Title = r.Title
		}
		if f.Image != nil {
			sf.Path, sf.Line = f.Image.Path, f.Image.Line
		}
		out = append(out, sf)
	}
	return out
}
