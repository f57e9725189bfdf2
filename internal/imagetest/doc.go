// Package imagetest is for tests (and the golden-image generator): it
// builds container images and file trees from a declarative description, so
// that every test which needs an image or a directory builds it one way.
//
// An Image is a list of layers of entries (regular files with content and
// mode, setuid included, directories, symbolic and hard links, whiteouts and
// opaque-directory markers) and a configuration (user, environment, labels,
// exposed ports, entrypoint and command, healthcheck, history with empty
// layers, creation time). Build turns it into a go-containerregistry image
// with mutate.Append and tarball layers; every timestamp is Epoch, so two
// builds of one description are byte-identical. The image is then written as
// a docker-archive tarball (DockerArchive), an OCI layout directory
// (OCILayout) or a root filesystem holding the final view (RootFS), which
// shipshape reads as docker-archive:, oci: and dir: references.
//
// Tree and TreeOf write a file tree (a Dockerfile with its build context, a
// compose project, a root filesystem) into a test's temporary directory.
//
// Product code must not import this package; internal/archtest checks it.
package imagetest
