// Package scan is the driver between inputs and reports: it finds the files
// to lint, parses each once, runs the enabled rules over the model, applies
// suppressions and configuration, and hands findings to the report layer.
// It holds no global state; everything comes in through options.
package scan
