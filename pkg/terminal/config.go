package terminal

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/config"
	"github.com/godbg/godbg/service/api"
)

var configCmd = &command{
	names: []string{"config"},
	group: "session",
	usage: "config -list | config -save | config <parameter> <value...>",
	help: "Shows or changes the session's settings; config -save writes them to $XDG_CONFIG_HOME/godbg/config.yml\n" +
		"(~/.config/godbg/config.yml), which later sessions read. Nothing is written without -save.\n" +
		"  substitute-path FROM TO    list, break file:line and stack frames use TO for FROM (programs built\n" +
		"                             elsewhere); substitute-path FROM removes a rule, -clear all of them\n" +
		"  max-string-len N, max-array-values N, max-variable-recurse N   limits of print, locals, args, vars\n" +
		"  source-list-line-count N   lines list shows each side of the location (default 5)\n" +
		"  aliases CMD ALIAS...       extra names for a command (config alias works too)\n" +
		"  disassemble-flavor go|gnu|intel   disassemble's default syntax\n" +
		"  show-location-expr true|false     whatis also prints where the value lives\n" +
		"  debug-info-directories DIR...     kept in the file for separate debug info (not used yet)\n" +
		"  pager true|false           on a terminal, output taller than it goes through $PAGER (less -FRX)",
}

func init() { configCmd.run = runConfig }

func runConfig(t *Term, args string) error {
	c, err := t.config()
	if err != nil {
		return err
	}
	f := strings.Fields(args)
	switch {
	case len(f) == 0:
		return fmt.Errorf("usage: %s", configCmd.usage)
	case f[0] == "-list" && len(f) == 1:
		for _, l := range c.List() {
			t.printf("%s\n", l)
		}
		return nil
	case f[0] == "-save" && len(f) == 1:
		if err := c.Save(t.confPath); err != nil {
			return fmt.Errorf("config -save: %w", err)
		}
		t.printf("Saved the configuration to %s\n", t.confPath)
		return nil
	}
	if err := c.Set(f[0], f[1:]); err != nil {
		return err
	}
	t.applyConfig()
	return nil
}

// config returns the configuration, read from the file the first time.
func (t *Term) config() (*config.Config, error) {
	if t.conf != nil {
		return t.conf, nil
	}
	path, err := config.Path()
	if err != nil {
		return nil, err
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	t.conf, t.confPath = c, path
	t.applyConfig()
	return c, nil
}

// applyConfig gives the aliases to their commands.
func (t *Term) applyConfig() {
	for cmd, aliases := range t.conf.Aliases {
		c, ok := t.cmds.byName[cmd]
		if !ok {
			continue
		}
		for _, a := range aliases {
			if _, taken := t.cmds.byName[a]; !taken {
				t.cmds.byName[a] = c
			}
		}
	}
}

// UseConfig makes c, read from path, the session's configuration: the
// one the debugger was given, so that config substitute-path changes what
// it sees at once.
func (t *Term) UseConfig(c *config.Config, path string) {
	t.conf, t.confPath = c, path
	t.applyConfig()
}

// limits fills the limits print was not given from the configuration.
func (t *Term) limits(cfg api.LoadConfig) api.LoadConfig {
	c, err := t.config()
	if err != nil {
		return cfg
	}
	if cfg.MaxStringLen == 0 {
		cfg.MaxStringLen = c.MaxStringLen
	}
	if cfg.MaxArrayValues == 0 {
		cfg.MaxArrayValues = c.MaxArrayValues
	}
	if cfg.MaxDepth == 0 {
		cfg.MaxDepth = c.MaxVariableRecurse
	}
	return cfg
}

// listLines is how many lines list shows each side of its location.
func (t *Term) listLines() int {
	if c, err := t.config(); err == nil && c.SourceListLineCount > 0 {
		return c.SourceListLineCount
	}
	return listContext
}
