package main

import (
	"fmt"
	"os"

	"github.com/godbg/godbg/pkg/config"
	"github.com/godbg/godbg/service/debugger"
)

// loadConfig reads the configuration file (config -save writes it). A
// file that cannot be read is reported and the defaults are used.
func loadConfig() (*config.Config, string) {
	c := &config.Config{}
	path, err := config.Path()
	if err == nil {
		var lc *config.Config
		if lc, err = config.Load(path); err == nil {
			c = lc
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "godbg: configuration not read, using the defaults: %v\n", err)
	}
	return c, path
}

// useConfig reads the configuration and gives its substitute-path rules
// to the debugger.
func useConfig(cfg *debugger.Config) (*config.Config, string) {
	c, path := loadConfig()
	cfg.LocalPath, cfg.BuildPath = c.ToLocal, c.ToBuild
	return c, path
}
