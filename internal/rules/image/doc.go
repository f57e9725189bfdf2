// Package image holds shipshape's image rules (IM1xxx): checks over the
// image.Image value produced by one streaming pass over an image's config
// and layers.
package image
