//go:build race

package dap_test

// raceEnabled: the race detector slows the server several times; timing
// goals are logged, not checked.
const raceEnabled = true
