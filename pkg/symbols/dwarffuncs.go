package symbols

import (
	"debug/dwarf"
	"debug/elf"
	"path"
)

// dwarfFuncs collects the functions with code (DW_TAG_subprogram with a
// low pc) from DWARF, with their declaration positions.
func dwarfFuncs(d *dwarf.Data) ([]*Func, error) {
	var funcs []*Func
	var files []*dwarf.LineFile
	r := d.Reader()
	w := &walker{r: r}
	for {
		e, err := w.next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return funcs, nil
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			files = cuFiles(d, e)
		case dwarf.TagSubprogram:
			if fn := subprogramFunc(e, files); fn != nil {
				funcs = append(funcs, fn)
			}
		}
	}
}

// cuFiles returns the file table of a compile unit, nil if it has none.
func cuFiles(d *dwarf.Data, cu *dwarf.Entry) []*dwarf.LineFile {
	lr, err := lineReader(d, cu)
	if err != nil || lr == nil {
		return nil
	}
	return lr.Files()
}

// lineReader returns the line reader of a compile unit with its file names
// made absolute by joining relative ones to the unit's DW_AT_comp_dir.
func lineReader(d *dwarf.Data, cu *dwarf.Entry) (*dwarf.LineReader, error) {
	lr, err := d.LineReader(cu)
	if err != nil || lr == nil {
		return lr, err
	}
	dir, _ := cu.Val(dwarf.AttrCompDir).(string)
	if dir == "" {
		return lr, nil
	}
	for _, f := range lr.Files() {
		if f != nil && f.Name != "" && !path.IsAbs(f.Name) {
			f.Name = path.Join(dir, f.Name)
		}
	}
	return lr, nil
}

func subprogramFunc(e *dwarf.Entry, files []*dwarf.LineFile) *Func {
	name, _ := e.Val(dwarf.AttrName).(string)
	low, ok := e.Val(dwarf.AttrLowpc).(uint64)
	if name == "" || !ok {
		return nil
	}
	fn := &Func{Name: name, Entry: low, End: low}
	switch f := e.AttrField(dwarf.AttrHighpc); {
	case f == nil:
	case f.Class == dwarf.ClassAddress:
		fn.End, _ = f.Val.(uint64)
	case f.Class == dwarf.ClassConstant:
		n, _ := f.Val.(int64)
		fn.End = low + uint64(n)
	}
	if line, ok := e.Val(dwarf.AttrDeclLine).(int64); ok {
		fn.Line = int(line)
	}
	if i, ok := e.Val(dwarf.AttrDeclFile).(int64); ok && i >= 0 && int(i) < len(files) && files[i] != nil {
		fn.File = files[i].Name
	}
	return fn
}

// elfFuncs returns the sized function symbols of .symtab, or of .dynsym
// when there is no .symtab.
func elfFuncs(f *elf.File) []*Func {
	syms, err := f.Symbols()
	if err != nil || len(syms) == 0 {
		syms, _ = f.DynamicSymbols()
	}
	var funcs []*Func
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 || s.Section == elf.SHN_UNDEF {
			continue
		}
		funcs = append(funcs, &Func{Name: s.Name, Entry: s.Value, End: s.Value + max(s.Size, 1)})
	}
	return funcs
}
