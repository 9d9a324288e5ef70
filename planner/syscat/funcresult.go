package syscat

// pg_get_function_result and pg_get_function_arguments over the built-in
// functions of pg_proc.

import (
	"strconv"
	"strings"
)

// procByOID returns the built-in pg_proc row of an OID.
func procByOID(oid uint32) (*procInfo, bool) {
	if i, ok := procIndex[oid]; ok {
		return &builtinProcs[i], true
	}
	return nil, false
}

// FunctionResult is pg_get_function_result(oid): the result type as
// format_type names it (SETOF before a set-returning function's); ok is
// false for an OID that names no function.
func (s *Snapshot) FunctionResult(oid uint32) (string, bool) {
	if d, ok := dataProcs[oid]; ok {
		return d.result, true
	}
	p, ok := procByOID(oid)
	if !ok {
		return "", false
	}
	t := s.FormatType(p.rettype, NoTypmod)
	if p.retset {
		t = "SETOF " + t
	}
	return t, true
}

// FunctionArguments is pg_get_function_arguments(oid): the argument
// types (with their names, when declared), comma-separated; ok is false
// for an OID that names no function.
func (s *Snapshot) FunctionArguments(oid uint32) (string, bool) {
	if d, ok := dataProcs[oid]; ok {
		return d.args, true
	}
	p, ok := procByOID(oid)
	if !ok {
		return "", false
	}
	names := strings.Fields(p.argnames)
	var parts []string
	for i, a := range strings.Fields(p.argtypes) {
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil {
			continue
		}
		t := s.FormatType(uint32(n), NoTypmod)
		if i < len(names) && names[i] != "" {
			t = QuoteIdent(names[i]) + " " + t
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, ", "), true
}

// FunctionIdentityArguments is pg_get_function_identity_arguments(oid):
// the arguments that identify the function (no defaults, no OUT
// arguments); ok is false for an OID that names no function.
func (s *Snapshot) FunctionIdentityArguments(oid uint32) (string, bool) {
	if d, ok := dataProcs[oid]; ok {
		return d.identityArgs, true
	}
	return s.FunctionArguments(oid)
}

// FunctionIsVisible is pg_function_is_visible(oid): every built-in
// function is in pg_catalog, which is always on the search path; ok is
// false for an OID that names no function.
func FunctionIsVisible(oid uint32) (visible, ok bool) {
	_, ok = procByOID(oid)
	return ok, ok
}

// RelKind returns pg_class.relkind of a relation; ok is false when the
// OID names none.
func (s *Snapshot) RelKind(oid uint32) (byte, bool) {
	r := s.relByOID(oid)
	if r == nil {
		return 0, false
	}
	return r.kind, true
}
