//go:build !race

package dap_test

const raceEnabled = false
