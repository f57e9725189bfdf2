// Package runtime holds shipshape's runtime rules (RT1xxx), one file per
// rule, each written once against the container.Spec model so that it
// applies to compose files, `docker run` command lines and `docker inspect`
// output alike.
package runtime
