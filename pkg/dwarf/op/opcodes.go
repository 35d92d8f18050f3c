package op

// DWARF expression opcodes (DWARF 5 §2.5, §7.7.1).
const (
	opAddr             = 0x03
	opDeref            = 0x06
	opConst1u          = 0x08
	opConst1s          = 0x09
	opConst2u          = 0x0a
	opConst2s          = 0x0b
	opConst4u          = 0x0c
	opConst4s          = 0x0d
	opConst8u          = 0x0e
	opConst8s          = 0x0f
	opConstu           = 0x10
	opConsts           = 0x11
	opDup              = 0x12
	opDrop             = 0x13
	opOver             = 0x14
	opPick             = 0x15
	opSwap             = 0x16
	opRot              = 0x17
	opXderef           = 0x18
	opAbs              = 0x19
	opAnd              = 0x1a
	opDiv              = 0x1b
	opMinus            = 0x1c
	opMod              = 0x1d
	opMul              = 0x1e
	opNeg              = 0x1f
	opNot              = 0x20
	opOr               = 0x21
	opPlus             = 0x22
	opPlusUconst       = 0x23
	opShl              = 0x24
	opShr              = 0x25
	opShra             = 0x26
	opXor              = 0x27
	opBra              = 0x28
	opEq               = 0x29
	opGe               = 0x2a
	opGt               = 0x2b
	opLe               = 0x2c
	opLt               = 0x2d
	opNe               = 0x2e
	opSkip             = 0x2f
	opLit0             = 0x30
	opLit31            = 0x4f
	opReg0             = 0x50
	opReg31            = 0x6f
	opBreg0            = 0x70
	opBreg31           = 0x8f
	opRegx             = 0x90
	opFbreg            = 0x91
	opBregx            = 0x92
	opPiece            = 0x93
	opDerefSize        = 0x94
	opNop              = 0x96
	opCallFrameCFA     = 0x9c
	opImplicitValue    = 0x9e
	opStackValue       = 0x9f
	opAddrx            = 0xa1
	opConstx           = 0xa2
	opEntryValue       = 0xa3
	opGNUEntryValue    = 0xf3
	opGNUAddrIndex     = 0xfb
	opGNUConstIndex    = 0xfc
	opGNUPushTLSAddr   = 0xe0
	opFormTLSAddress   = 0x9b
	opBitPiece         = 0x9d
	opImplicitPointer  = 0xa0
	opGNUImplicitPtr   = 0xf2
	opGNUParameterRef  = 0xfa
	opCall2            = 0x98
	opCall4            = 0x99
	opCallRef          = 0x9a
	opDerefType        = 0xa6
	opConstType        = 0xa4
	opRegvalType       = 0xa5
	opConvert          = 0xa8
	opReinterpret      = 0xa9
	opGNUDerefType     = 0xf6
	opGNUConstType     = 0xf4
	opGNURegvalType    = 0xf5
	opGNUConvert       = 0xf7
	opGNUReinterpret   = 0xf9
	opXderefSize       = 0x95
	opPushObjectAddr   = 0x97
	opXderefType       = 0xa7
	opGNUVariableValue = 0xfd
)

// opNames names opcodes for messages about unsupported ones.
var opNames = map[byte]string{
	opXderef: "DW_OP_xderef", opXderefSize: "DW_OP_xderef_size", opXderefType: "DW_OP_xderef_type",
	opPushObjectAddr: "DW_OP_push_object_address", opCall2: "DW_OP_call2", opCall4: "DW_OP_call4",
	opCallRef: "DW_OP_call_ref", opFormTLSAddress: "DW_OP_form_tls_address", opGNUPushTLSAddr: "DW_OP_GNU_push_tls_address",
	opImplicitPointer: "DW_OP_implicit_pointer", opGNUImplicitPtr: "DW_OP_GNU_implicit_pointer",
	opEntryValue: "DW_OP_entry_value", opGNUEntryValue: "DW_OP_GNU_entry_value",
	opGNUParameterRef: "DW_OP_GNU_parameter_ref", opDerefType: "DW_OP_deref_type", opConstType: "DW_OP_const_type",
	opRegvalType: "DW_OP_regval_type", opConvert: "DW_OP_convert", opReinterpret: "DW_OP_reinterpret",
	opGNUDerefType: "DW_OP_GNU_deref_type", opGNUConstType: "DW_OP_GNU_const_type", opGNURegvalType: "DW_OP_GNU_regval_type",
	opGNUConvert: "DW_OP_GNU_convert", opGNUReinterpret: "DW_OP_GNU_reinterpret", opGNUVariableValue: "DW_OP_GNU_variable_value",
	opAddrx: "DW_OP_addrx", opConstx: "DW_OP_constx", opGNUAddrIndex: "DW_OP_GNU_addr_index", opGNUConstIndex: "DW_OP_GNU_const_index",
}

// OpName returns the DW_OP_ name of an opcode, or its hex value.
func OpName(code byte) string {
	if n, ok := opNames[code]; ok {
		return n
	}
	return hexByte(code)
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return "0x" + string([]byte{digits[b>>4], digits[b&15]})
}
