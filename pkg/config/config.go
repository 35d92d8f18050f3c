package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the file's content. Zero values mean the built-in defaults.
type Config struct {
	// SubstitutePath maps directories of the build (From) to local ones
	// (To), first match wins.
	SubstitutePath []SubstituteRule `yaml:"substitute-path,omitempty"`
	// Limits of print, locals, args and vars.
	MaxStringLen       int `yaml:"max-string-len,omitempty"`
	MaxArrayValues     int `yaml:"max-array-values,omitempty"`
	MaxVariableRecurse int `yaml:"max-variable-recurse,omitempty"`
	// ShowLocationExpr makes whatis print the DWARF location expression.
	ShowLocationExpr bool `yaml:"show-location-expr,omitempty"`
	// SourceListLineCount is how many lines list shows each side.
	SourceListLineCount int `yaml:"source-list-line-count,omitempty"`
	// Aliases maps a command to the extra names it answers to.
	Aliases map[string][]string `yaml:"aliases,omitempty"`
	// DisassembleFlavor is disassemble's default syntax: go, gnu or intel.
	DisassembleFlavor string `yaml:"disassemble-flavor,omitempty"`
	// DebugInfoDirectories are searched for separate debug info files.
	DebugInfoDirectories []string `yaml:"debug-info-directories,omitempty"`
	// Pager: output taller than the terminal goes through $PAGER.
	Pager bool `yaml:"pager,omitempty"`
}

// SubstituteRule is one substitute-path mapping.
type SubstituteRule struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// ErrUnknownParam is returned by Set for a name that is not a parameter.
var ErrUnknownParam = errors.New("unknown parameter")

// Path is where the file lives: $XDG_CONFIG_HOME/godbg/config.yml, or
// $HOME/.config/godbg/config.yml.
func Path() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no $XDG_CONFIG_HOME and %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "godbg", "config.yml"), nil
}

// Load reads the file at path; a missing file is the defaults.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	c := &Config{}
	if err := yaml.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("%s: %w; fix or remove the file", path, err)
	}
	return c, nil
}

// Save writes c to path, creating its directory.
func (c *Config) Save(path string) error {
	b, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Params are the parameters' names, as in the file.
var Params = []string{"aliases", "debug-info-directories", "disassemble-flavor", "max-array-values", "max-string-len",
	"max-variable-recurse", "pager", "show-location-expr", "source-list-line-count", "substitute-path"}

// Set changes a parameter from the words after its name:
//
//	substitute-path FROM TO   add (or replace) a rule; substitute-path FROM removes it; -clear all
//	aliases CMD ALIAS...      CMD's aliases; aliases CMD alone removes them
//	debug-info-directories DIR...  (none: the default)
//	disassemble-flavor go|gnu|intel
//	max-string-len N, max-array-values N, max-variable-recurse N, source-list-line-count N
//	show-location-expr true|false, pager true|false
func (c *Config) Set(param string, args []string) error {
	switch param {
	case "substitute-path":
		return c.setSubstitutePath(args)
	case "aliases", "alias":
		if len(args) == 0 {
			return fmt.Errorf("aliases: give a command and its aliases")
		}
		if c.Aliases == nil {
			c.Aliases = map[string][]string{}
		}
		if len(args) == 1 {
			delete(c.Aliases, args[0])
		} else {
			c.Aliases[args[0]] = args[1:]
		}
		return nil
	case "debug-info-directories":
		c.DebugInfoDirectories = args
		return nil
	case "disassemble-flavor":
		if len(args) != 1 || (args[0] != "go" && args[0] != "gnu" && args[0] != "intel") {
			return fmt.Errorf("disassemble-flavor: %q is not go, gnu or intel", strings.Join(args, " "))
		}
		c.DisassembleFlavor = args[0]
		return nil
	case "show-location-expr":
		return setBool(&c.ShowLocationExpr, param, args)
	case "pager":
		return setBool(&c.Pager, param, args)
	}
	if p := c.intParam(param); p != nil {
		if len(args) != 1 {
			return fmt.Errorf("%s: give one number", param)
		}
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 0 {
			return fmt.Errorf("%s: %q is not a number >= 0", param, args[0])
		}
		*p = n
		return nil
	}
	return fmt.Errorf("%w %q; the parameters are %s", ErrUnknownParam, param, strings.Join(Params, ", "))
}

func setBool(p *bool, param string, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%s: give true or false", param)
	}
	v, err := strconv.ParseBool(args[0])
	if err != nil {
		return fmt.Errorf("%s: %q is not true or false", param, args[0])
	}
	*p = v
	return nil
}

func (c *Config) intParam(name string) *int {
	switch name {
	case "max-string-len":
		return &c.MaxStringLen
	case "max-array-values":
		return &c.MaxArrayValues
	case "max-variable-recurse":
		return &c.MaxVariableRecurse
	case "source-list-line-count":
		return &c.SourceListLineCount
	}
	return nil
}

func (c *Config) setSubstitutePath(args []string) error {
	switch {
	case len(args) == 1 && args[0] == "-clear":
		c.SubstitutePath = nil
	case len(args) == 1:
		for i, r := range c.SubstitutePath {
			if r.From == args[0] {
				c.SubstitutePath = append(c.SubstitutePath[:i], c.SubstitutePath[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("substitute-path: no rule from %s", args[0])
	case len(args) == 2:
		for i, r := range c.SubstitutePath {
			if r.From == args[0] {
				c.SubstitutePath[i].To = args[1]
				return nil
			}
		}
		c.SubstitutePath = append(c.SubstitutePath, SubstituteRule{From: args[0], To: args[1]})
	default:
		return fmt.Errorf("usage: config substitute-path FROM TO | config substitute-path FROM | config substitute-path -clear")
	}
	return nil
}

// List returns "name value" lines, one a parameter, sorted by name.
func (c *Config) List() []string {
	var rules []string
	for _, r := range c.SubstitutePath {
		rules = append(rules, r.From+" -> "+r.To)
	}
	var aliases []string
	for cmd, as := range c.Aliases {
		aliases = append(aliases, cmd+": "+strings.Join(as, " "))
	}
	sort.Strings(aliases)
	num := func(n int) string {
		if n == 0 {
			return "<default>"
		}
		return strconv.Itoa(n)
	}
	str := func(s string) string {
		if s == "" {
			return "<default>"
		}
		return s
	}
	return []string{
		"aliases                 " + str(strings.Join(aliases, ", ")),
		"debug-info-directories  " + str(strings.Join(c.DebugInfoDirectories, " ")),
		"disassemble-flavor      " + str(c.DisassembleFlavor),
		"max-array-values        " + num(c.MaxArrayValues),
		"max-string-len          " + num(c.MaxStringLen),
		"max-variable-recurse    " + num(c.MaxVariableRecurse),
		"pager                   " + strconv.FormatBool(c.Pager),
		"show-location-expr      " + strconv.FormatBool(c.ShowLocationExpr),
		"source-list-line-count  " + num(c.SourceListLineCount),
		"substitute-path         " + str(strings.Join(rules, ", ")),
	}
}

// ToLocal maps a path of the build to the local one (the first rule whose
// From is a directory prefix of it); ToBuild maps back.
func (c *Config) ToLocal(path string) string { return c.substitute(path, false) }
func (c *Config) ToBuild(path string) string { return c.substitute(path, true) }

func (c *Config) substitute(path string, back bool) string {
	for _, r := range c.SubstitutePath {
		from, to := r.From, r.To
		if back {
			from, to = to, from
		}
		from = strings.TrimSuffix(from, "/")
		if path == from || strings.HasPrefix(path, from+"/") {
			return strings.TrimSuffix(to, "/") + path[len(from):]
		}
	}
	return path
}
