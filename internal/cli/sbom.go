package cli

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

func newSBOMCmd(e *env) *cobra.Command {
	var format, output, platform string
	var insecure, noCache bool
	cmd := &cobra.Command{
		Use:   "sbom REF",
		Short: "Write the software bill of materials of an image or directory (CycloneDX 1.6, SPDX 2.3)",
		Long: `List the packages in an image, a root filesystem or a project directory:
Debian/Ubuntu (dpkg, including distroless status.d), Alpine (apk) and RPM
(Berkeley DB) databases, Go binaries (their build information: main module,
dependencies, Go version as "stdlib"), Go source projects (go.mod, go.sum),
Go toolchains (VERSION, as "stdlib"), npm (node_modules and package-lock.json,
with the application itself), Python (dist-info and egg-info) and Java archives
(pom.properties, manifests, nested jars). Files that an OS package owns are
not listed again as language packages. Each package carries its purl and,
for images, the layer that added it.

REF is an image reference as for "shipshape image" (docker-archive:, oci:,
registry:, docker:, podman:, or a path or name to sniff), or a directory:
dir:PATH or a plain existing directory path.

Formats (--format): cyclonedx-json (default), cyclonedx-xml, spdx-json, json
(shipshape's own, versioned by schemaVersion). Serial numbers and document
namespaces derive from the image digest, so the same image gives the same
document; the creation time is the image's, or SOURCE_DATE_EPOCH, or now.

When no package database is found, stderr says so and the SBOM's notes too.

Exit codes: 0 written, 2 the input cannot be read (missing path, unreachable
registry, corrupt layer) or a usage error.`,
		Example: `  shipshape sbom app.tar
  shipshape sbom --format spdx-json -o app.spdx.json registry:ghcr.io/acme/app:1.4
  shipshape sbom --format cyclonedx-xml oci:build/oci-layout
  shipshape sbom --format json ./my-project`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := args[0]
			format = strings.ToLower(strings.TrimSpace(format))
			known := false
			for _, f := range encode.Formats {
				known = known || f == format
			}
			if !known {
				return usageErr("--format: unknown format %q (want %s)", format, strings.Join(encode.Formats, ", "))
			}
			created, err := sourceDateEpoch()
			if err != nil {
				return usageErr("%v", err)
			}
			stop := startProgress(e, ref)
			res, err := engine.SBOM(e.ctx, engine.SBOMOptions{Ref: ref, Open: imageread.OpenOptions{Platform: platform, Insecure: insecure}, NoCache: noCache})
			stop()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			for _, n := range res.Notifications {
				fmt.Fprintf(e.stderr, "shipshape: %s: %s\n", n.File, n.Message)
			}
			s := res.SBOM
			var buf bytes.Buffer
			if err := encode.Write(&buf, format, s, encode.Options{ToolVersion: e.build.Version, Created: created}); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if output == "" {
				_, err := e.stdout.Write(buf.Bytes())
				return err
			}
			return writeAtomic("SBOM", output, buf.Bytes())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", encode.CycloneDXJSON, "output format: "+strings.Join(encode.Formats, ", "))
	fl.StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	fl.StringVar(&platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: this machine's)")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.BoolVar(&noCache, "no-cache", false, "do not read or write the per-layer result cache")
	return cmd
}

// sourceDateEpoch is the creation time for subjects without one (a
// directory): $SOURCE_DATE_EPOCH when set, for reproducible builds, else
// now.
func sourceDateEpoch() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Now(), nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", v)
	}
	return time.Unix(n, 0), nil
}
