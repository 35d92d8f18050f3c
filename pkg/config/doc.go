// Package config reads and writes godbg's configuration file,
// $XDG_CONFIG_HOME/godbg/config.yml (~/.config/godbg/config.yml): the
// parameters the terminal's config command lists and sets.
//
// It is a leaf: it imports nothing of godbg. The terminal (pkg/terminal)
// and the command line (cmd/godbg) call it. The file is written only by
// Save (config -save); Load of a missing file is the defaults.
package config
