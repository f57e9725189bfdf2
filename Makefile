# Convenience targets; each is one command documented in README.md.
.PHONY: build test release golden

build:
	go build -o shipshape ./cmd/shipshape

test:
	go test ./...

# Reproducible binaries for linux/darwin/windows x amd64/arm64 with
# SHA256SUMS and an SBOM of each, in dist/ (VERSION=v1.2.3 to name it).
release:
	scripts/release.sh --check $(VERSION) dist

# Golden outputs over the corpora, the examples and the test images.
golden:
	scripts/golden.sh /tmp/shipshape-golden
