package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/imageref"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1038 is DF1202 for the images containers run: a compose service's
// image:, a docker run image, an inspected container's image. It reads
// the same list (trust.registries of .shipshape.yaml, or its own
// trusted-registries setting) and is silent until one is configured.
var RT1038 = &rule.Rule{
	ID:       "RT1038",
	Slug:     "untrusted-registry",
	Title:    "Image is not from a trusted registry",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "A container runs whatever its image holds, with the service's network, volumes and secrets. An image " +
		"pulled straight from a public registry or a personal account bypasses the mirror where the organisation scans, " +
		"signs and pins what it runs, and can be replaced or typo-squatted by someone else.",
	Fix: "Run the image from the approved registry (copy it there after review), or add its registry to " +
		"`trust.registries` in .shipshape.yaml if it is acceptable.",
	Bad:  "# trust: {registries: [registry.example.com]}\nservices:\n  tools:\n    image: someuser/toolbox:1.2",
	Good: "services:\n  tools:\n    image: registry.example.com/tools/toolbox:1.2",
	Settings: []rule.Setting{
		{Name: "trusted-registries", Type: "strings", Default: []string{},
			Doc: "Registries, optionally with a path prefix, whose images are trusted (as DF1202's); `trust.registries` of .shipshape.yaml when not set here."},
	},
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.2"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#image",
		"https://docs.docker.com/docker-hub/image-library/trusted-content/",
	},
	Check: func(p *rule.Pass) error {
		registries := p.Settings.Strings("trusted-registries")
		if len(registries) == 0 {
			return nil
		}
		for _, s := range specs(p) {
			img := strings.TrimSpace(s.Image)
			if s.Build || img == "" || strings.Contains(img, "$") || s.Unresolved[container.KeyImage] || reImageID.MatchString(img) {
				continue
			}
			name, domain, ok := imageref.Normalize(img)
			if !ok || imageref.Trusted(registries, name) {
				continue
			}
			report(p, at(s, container.KeyImage), 0, "image %s of %s comes from %s, which is not in trusted-registries", img, who(s), domain)
		}
		return nil
	},
}
