package terminal

import (
	"errors"
	"fmt"
	"os"
	"strings"

	starjson "go.starlark.net/lib/json"
	startime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// starOptions: the Starlark dialect Delve's scripts are written in (while
// loops, top-level if/for, reassigned globals, recursion).
var starOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

func newStruct(d starlark.StringDict) starlark.Value {
	return starlarkstruct.FromStringDict(starlarkstruct.Default, d)
}

// starEnv returns the session's Starlark globals: the builtins, then what
// scripts exported (names starting with a capital letter).
func (t *Term) starEnv() starlark.StringDict {
	if t.star != nil {
		return t.star
	}
	t.star = starlark.StringDict{}
	for _, b := range starlarkBuiltins {
		b := b
		t.star[b.name] = starlark.NewBuiltin(b.name, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return b.fn(t, args, kw)
		})
	}
	t.star["time"], t.star["json"] = startime.Module, starjson.Module
	t.star["help"] = starlark.NewBuiltin("help", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		t.printf("%s", builtinHelp())
		return starlark.None, nil
	})
	return t.star
}

func (t *Term) starThread() *starlark.Thread {
	th := &starlark.Thread{Name: "source", Print: func(_ *starlark.Thread, msg string) { t.printf("%s\n", msg) }}
	t.script.Store(th)
	return th
}

// cancelScript stops the running Starlark script (Ctrl-C) at its next step.
func (t *Term) cancelScript() {
	if th := t.script.Load(); th != nil {
		th.Cancel("interrupted")
	}
}

// runInitStarlark runs an --init .star file; an error in it is printed and
// the session goes on, as for source.
func (t *Term) runInitStarlark(path string) (bool, error) {
	err := t.runStarlarkFile(path)
	if errors.Is(err, errExit) {
		return true, nil
	}
	if err != nil {
		t.Failed.Add(1)
		t.printf("Command failed: %v\n", err)
	}
	return false, nil
}

// runStarlarkFile runs a script, exports its globals, makes its command_
// functions commands and calls its main().
func (t *Term) runStarlarkFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	env := t.starEnv()
	th := t.starThread()
	globals, err := starlark.ExecFileOptions(starOptions, th, path, src, env)
	if err != nil {
		return starError(err)
	}
	for name, v := range globals {
		switch {
		case strings.HasPrefix(name, "command_"):
			if fn, ok := v.(*starlark.Function); ok {
				t.addStarCommand(strings.TrimPrefix(name, "command_"), fn)
			}
		case name[0] >= 'A' && name[0] <= 'Z':
			env[name] = v
		}
	}
	if fn, ok := globals["main"].(*starlark.Function); ok {
		if _, err := starlark.Call(th, fn, nil, nil); err != nil {
			return starError(err)
		}
	}
	return nil
}

// addStarCommand makes a Starlark function a command: with one parameter
// named args it gets the argument string, otherwise the arguments are
// evaluated as a Starlark tuple.
func (t *Term) addStarCommand(name string, fn *starlark.Function) {
	doc := fn.Doc()
	if doc == "" {
		doc = "Defined by a Starlark script."
	}
	c := &command{names: []string{name}, group: "scripts", usage: name + " [args]", help: doc}
	c.run = func(t *Term, args string) error {
		var argv starlark.Tuple
		if p, _ := fn.Param(0); fn.NumParams() == 1 && p == "args" {
			argv = starlark.Tuple{starlark.String(args)}
		} else if args != "" {
			v, err := starlark.EvalOptions(starOptions, t.starThread(), "<args>", "("+args+",)", t.starEnv())
			if err != nil {
				return starError(err)
			}
			argv = v.(starlark.Tuple)
		}
		_, err := starlark.Call(t.starThread(), fn, argv, nil)
		return starError(err)
	}
	if old, ok := t.cmds.byName[name]; !ok || old.group == "scripts" {
		if !ok {
			t.cmds.list = append(t.cmds.list, c)
		}
		t.cmds.byName[name] = c
	}
}

// starError makes an evaluation error one line: the script's position
// (file:line:col) of the innermost call that has one, the builtin that
// failed if one did, and the message.
func starError(err error) error {
	var ee *starlark.EvalError
	if !errors.As(err, &ee) {
		return err
	}
	msg := ee.Msg
	stack := ee.CallStack
	inScript := func(f starlark.CallFrame) bool { return f.Pos.IsValid() && f.Pos.Filename() != "<builtin>" }
	if n := len(stack); n > 0 && !inScript(stack[n-1]) {
		msg = "in " + stack[n-1].Name + ": " + msg
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if inScript(stack[i]) {
			return fmt.Errorf("%s: %s", stack[i].Pos, msg)
		}
	}
	return errors.New(msg)
}

// starlarkREPL reads Starlark statements from wherever commands come from
// until exit() or end of input; an expression's value is printed.
func (t *Term) starlarkREPL() error {
	env := t.starEnv()
	globals := starlark.StringDict{}
	for k, v := range env {
		globals[k] = v
	}
	done := false
	globals["exit"] = starlark.NewBuiltin("exit", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		done = true
		return starlark.None, nil
	})
	th := t.starThread()
	for !done {
		prompt, eof := ">>> ", false
		readline := func() ([]byte, error) {
			line, err := t.ask(prompt)
			prompt = "... "
			if err != nil {
				eof = true
				return nil, err
			}
			return []byte(line + "\n"), nil
		}
		f, err := starOptions.ParseCompoundStmt("<stdin>", readline)
		if eof {
			return nil
		}
		if err == nil {
			err = t.starChunk(th, f, globals)
		}
		if err != nil {
			t.printf("%v\n", starError(err))
		}
	}
	return nil
}

func (t *Term) starChunk(th *starlark.Thread, f *syntax.File, globals starlark.StringDict) error {
	if len(f.Stmts) == 1 {
		if e, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			v, err := starlark.EvalExprOptions(f.Options, th, e.X, globals)
			if err == nil && v != starlark.None {
				t.printf("%s\n", v)
			}
			return err
		}
	}
	return starlark.ExecREPLChunk(f, th, globals)
}
