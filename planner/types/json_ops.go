package types

// JSON operators and functions: -> ->> #> #>> on json and jsonb; @> <@ ?
// ?| ?& || - on jsonb; to_json(b), json(b)_build_object/array, and the
// helpers of jsonb_typeof, jsonb_array_length, jsonb_array_elements,
// jsonb_each and jsonb_set.

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// parseJSONRaw parses json text keeping each node's source text and the
// objects' key order and duplicates, as the json type's operators see it.
func parseJSONRaw(s string) (*jsonNode, error) {
	p := &jsonParser{s: s, build: true, raw: true}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	return n, nil
}

// treeOf returns the tree of a json or jsonb value.
func treeOf(v Value) (*jsonNode, error) {
	switch v.kind {
	case JSONB:
		if n, ok := v.x.(*jsonNode); ok {
			return n, nil
		}
		return nil, sqlerr.New(sqlerr.InternalError, "jsonb value has no tree")
	case JSON:
		return parseJSONRaw(v.s)
	}
	return nil, sqlerr.DatatypeMismatchErr("%s is not json", v.kind)
}

// nodeValue wraps a node as a value of kind k (JSON or JSONB), or with
// asText as text (a JSON null becomes SQL NULL, a string its contents).
func nodeValue(n *jsonNode, k Kind, asText bool) Value {
	if n == nil {
		return Null
	}
	if asText {
		switch n.kind {
		case 'n':
			return Null
		case 's':
			return NewText(n.str)
		}
		if k == JSON {
			return NewText(n.raw)
		}
		return NewText(string(n.appendText(nil)))
	}
	if k == JSON {
		return Value{kind: JSON, valid: true, s: n.raw}
	}
	return Value{kind: JSONB, valid: true, x: n}
}

// field returns an object's member (the last of duplicates).
func (n *jsonNode) field(key string) *jsonNode {
	if n.kind != 'o' {
		return nil
	}
	var found *jsonNode
	for i, k := range n.keys {
		if k == key {
			found = n.elems[i]
		}
	}
	return found
}

// index returns an array's element, negative indexes counting from the
// end; a top-level scalar of jsonb acts as a one-element array.
func (n *jsonNode) index(i int64, scalarAsArray bool) *jsonNode {
	elems := n.elems
	switch {
	case n.kind == 'a':
	case scalarAsArray && n.kind != 'o':
		elems = []*jsonNode{n}
	default:
		return nil
	}
	if i < 0 {
		i += int64(len(elems))
	}
	if i < 0 || i >= int64(len(elems)) {
		return nil
	}
	return elems[i]
}

// JSONField is v -> key, or v ->> key with asText, for json or jsonb.
func JSONField(v Value, key string, asText bool) (Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return Null, err
	}
	return nodeValue(n.field(key), v.kind, asText), nil
}

// JSONIndex is v -> i, or v ->> i with asText.
func JSONIndex(v Value, i int64, asText bool) (Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return Null, err
	}
	return nodeValue(n.index(i, v.kind == JSONB), v.kind, asText), nil
}

// JSONPath is v #> path, or v #>> path with asText: path is a text[]
// whose elements name object keys or array indexes.
func JSONPath(v Value, path Value, asText bool) (Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return Null, err
	}
	for _, p := range path.Elems() {
		if p.IsNull() {
			return Null, nil
		}
		switch n.kind {
		case 'o':
			n = n.field(p.Str())
		case 'a':
			i, err := strconv.ParseInt(trimSpace(p.Str()), 10, 32)
			if err != nil {
				return Null, nil
			}
			n = n.index(i, false)
		default:
			return Null, nil
		}
		if n == nil {
			return Null, nil
		}
	}
	return nodeValue(n, v.kind, asText), nil
}

// jsonEqualScalar compares two scalars for containment.
func jsonEqualScalar(a, b *jsonNode) bool {
	return a.kind == b.kind && compareJSONNode(a, b) == 0
}

// contains reports whether a contains b, as jsonb's @>.
func contains(a, b *jsonNode, top bool) bool {
	if a.kind != b.kind {
		// A top-level array contains a bare scalar it has as an element.
		if top && a.kind == 'a' && b.kind != 'a' && b.kind != 'o' {
			for _, e := range a.elems {
				if jsonEqualScalar(e, b) {
					return true
				}
			}
		}
		return false
	}
	switch a.kind {
	case 'o':
		for i, k := range b.keys {
			av := a.field(k)
			if av == nil || !contains(av, b.elems[i], false) {
				return false
			}
		}
		return true
	case 'a':
		for _, be := range b.elems {
			found := false
			for _, ae := range a.elems {
				if be.kind == 'a' || be.kind == 'o' {
					if ae.kind == be.kind && contains(ae, be, false) {
						found = true
					}
				} else if jsonEqualScalar(ae, be) {
					found = true
				}
				if found {
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return jsonEqualScalar(a, b)
}

// JSONBContains is a @> b (b <@ a) for jsonb values.
func JSONBContains(a, b Value) (bool, error) {
	na, err := treeOf(a)
	if err != nil {
		return false, err
	}
	nb, err := treeOf(b)
	if err != nil {
		return false, err
	}
	return contains(na, nb, true), nil
}

// JSONBExists is v ? key (mode '?'), v ?| keys ('|') or v ?& keys ('&'):
// whether keys are top-level object keys or string array elements.
func JSONBExists(v Value, keys []string, mode byte) (bool, error) {
	n, err := treeOf(v)
	if err != nil {
		return false, err
	}
	has := func(k string) bool {
		switch n.kind {
		case 'o':
			return n.field(k) != nil
		case 'a':
			for _, e := range n.elems {
				if e.kind == 's' && e.str == k {
					return true
				}
			}
		case 's':
			return n.str == k
		}
		return false
	}
	switch mode {
	case '|':
		for _, k := range keys {
			if has(k) {
				return true, nil
			}
		}
		return false, nil
	case '&':
		for _, k := range keys {
			if !has(k) {
				return false, nil
			}
		}
		return true, nil
	}
	return len(keys) == 1 && has(keys[0]), nil
}

// JSONBConcat is a || b for jsonb.
func JSONBConcat(a, b Value) (Value, error) {
	na, err := treeOf(a)
	if err != nil {
		return Null, err
	}
	nb, err := treeOf(b)
	if err != nil {
		return Null, err
	}
	var out *jsonNode
	switch {
	case na.kind == 'o' && nb.kind == 'o':
		out = &jsonNode{kind: 'o', keys: append(append([]string{}, na.keys...), nb.keys...),
			elems: append(append([]*jsonNode{}, na.elems...), nb.elems...)}
		out.normalize()
	default:
		asList := func(n *jsonNode) []*jsonNode {
			if n.kind == 'a' {
				return n.elems
			}
			return []*jsonNode{n}
		}
		out = &jsonNode{kind: 'a', elems: append(append([]*jsonNode{}, asList(na)...), asList(nb)...)}
	}
	return Value{kind: JSONB, valid: true, x: out}, nil
}

// JSONBDeleteKey is v - key: the object without key, or the array without
// its string elements equal to key.
func JSONBDeleteKey(v Value, key string) (Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return Null, err
	}
	out := &jsonNode{kind: n.kind}
	switch n.kind {
	case 'o':
		for i, k := range n.keys {
			if k != key {
				out.keys = append(out.keys, k)
				out.elems = append(out.elems, n.elems[i])
			}
		}
	case 'a':
		for _, e := range n.elems {
			if !(e.kind == 's' && e.str == key) {
				out.elems = append(out.elems, e)
			}
		}
	default:
		return Null, sqlerr.New(sqlerr.InvalidParameterValue, "cannot delete from scalar")
	}
	return Value{kind: JSONB, valid: true, x: out}, nil
}

// JSONBDeleteIndex is v - i for an array (negative from the end).
func JSONBDeleteIndex(v Value, i int64) (Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return Null, err
	}
	switch n.kind {
	case 'o':
		return Null, sqlerr.New(sqlerr.InvalidParameterValue, "cannot delete from object using integer index")
	case 'a':
	default:
		return Null, sqlerr.New(sqlerr.InvalidParameterValue, "cannot delete from scalar")
	}
	if i < 0 {
		i += int64(len(n.elems))
	}
	out := &jsonNode{kind: 'a'}
	for j, e := range n.elems {
		if int64(j) != i {
			out.elems = append(out.elems, e)
		}
	}
	return Value{kind: JSONB, valid: true, x: out}, nil
}

// JSONBTypeof is jsonb_typeof / json_typeof.
func JSONBTypeof(v Value) (string, error) {
	n, err := treeOf(v)
	if err != nil {
		return "", err
	}
	switch n.kind {
	case 'n':
		return "null", nil
	case 's':
		return "string", nil
	case 'N':
		return "number", nil
	case 'b':
		return "boolean", nil
	case 'a':
		return "array", nil
	}
	return "object", nil
}

// JSONBArrayLength is jsonb_array_length.
func JSONBArrayLength(v Value) (int64, error) {
	n, err := treeOf(v)
	if err != nil {
		return 0, err
	}
	switch n.kind {
	case 'a':
		return int64(len(n.elems)), nil
	case 'o':
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "cannot get array length of a non-array")
	}
	return 0, sqlerr.New(sqlerr.InvalidParameterValue, "cannot get array length of a scalar")
}

// JSONBArrayElements is jsonb_array_elements (asText:
// jsonb_array_elements_text), and the json variants for json values.
func JSONBArrayElements(v Value, asText bool) ([]Value, error) {
	n, err := treeOf(v)
	if err != nil {
		return nil, err
	}
	if n.kind != 'a' {
		if n.kind == 'o' {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "cannot extract elements from an object")
		}
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "cannot extract elements from a scalar")
	}
	out := make([]Value, len(n.elems))
	for i, e := range n.elems {
		out[i] = nodeValue(e, v.kind, asText)
	}
	return out, nil
}

// JSONBEach is jsonb_each (asText: jsonb_each_text): the object's keys
// and values, in storage order.
func JSONBEach(v Value, asText bool) (keys []string, vals []Value, err error) {
	n, err := treeOf(v)
	if err != nil {
		return nil, nil, err
	}
	if n.kind != 'o' {
		return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "cannot call %s on a non-object", eachName(v.kind, asText))
	}
	vals = make([]Value, len(n.elems))
	for i, e := range n.elems {
		vals[i] = nodeValue(e, v.kind, asText)
	}
	return n.keys, vals, nil
}

func eachName(k Kind, asText bool) string {
	name := "jsonb_each"
	if k == JSON {
		name = "json_each"
	}
	if asText {
		name += "_text"
	}
	return name
}

// jsonTimestampText renders a date/time value as JSON shows it: ISO 8601
// with a T and, for timestamptz, a full +HH:MM offset.
func jsonTimestampText(env *Env, v Value) string {
	switch v.kind {
	case Timestamp, TimestampTZ:
		if isInfTS(v.i) {
			return string(v.AppendTextEnv(nil, env))
		}
		local := v.i
		var off int64
		if v.kind == TimestampTZ {
			loc := env.loc()
			if l, ok := v.x.(*time.Location); ok {
				loc = l
			}
			off = int64(zoneOffset(v.i, loc))
			local += off * usPerSec
		}
		days := floorDiv(local, usPerDay)
		y, m, d := julianToDate(days + pgEpochJDate)
		buf := appendYMD(nil, y, m, d)
		buf = append(buf, 'T')
		buf = appendClock(buf, local-days*usPerDay)
		if v.kind == TimestampTZ {
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			buf = append(buf, sign)
			buf = appendPadded(buf, off/3600, 2)
			buf = append(buf, ':')
			buf = appendPadded(buf, off/60%60, 2)
			if off%60 != 0 {
				buf = append(buf, ':')
				buf = appendPadded(buf, off%60, 2)
			}
		}
		if y <= 0 {
			buf = append(buf, " BC"...)
		}
		return string(buf)
	}
	return string(v.AppendTextEnv(nil, env))
}

// toNode converts a SQL value to a JSON node as to_jsonb does.
func toNode(env *Env, v Value) (*jsonNode, error) {
	if v.IsNull() {
		return &jsonNode{kind: 'n'}, nil
	}
	if v.kind.IsArray() {
		n := &jsonNode{kind: 'a'}
		for _, e := range v.Elems() {
			c, err := toNode(env, e)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, c)
		}
		return n, nil
	}
	switch v.kind {
	case Bool:
		return &jsonNode{kind: 'b', b: v.i != 0}, nil
	case Int2, Int4, Int8:
		return &jsonNode{kind: 'N', num: NumericFromInt64(v.i).d}, nil
	case Float4, Float8:
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return &jsonNode{kind: 's', str: v.String()}, nil
		}
		d, err := parseNumeric(v.String())
		if err != nil {
			return nil, err
		}
		return &jsonNode{kind: 'N', num: NewNumeric(d).d}, nil
	case Numeric:
		if v.d.Form != 0 {
			return &jsonNode{kind: 's', str: v.String()}, nil
		}
		return &jsonNode{kind: 'N', num: v.d}, nil
	case JSONB:
		return treeOf(v)
	case JSON:
		return parseJSONText(v.s, true, true)
	case Date, Timestamp, TimestampTZ:
		return &jsonNode{kind: 's', str: jsonTimestampText(env, v)}, nil
	}
	return &jsonNode{kind: 's', str: string(v.AppendTextEnv(nil, env))}, nil
}

// ToJSONB is to_jsonb(v) for a non-NULL v.
func ToJSONB(env *Env, v Value) (Value, error) {
	n, err := toNode(env, v)
	if err != nil {
		return Null, err
	}
	return Value{kind: JSONB, valid: true, x: n}, nil
}

// appendJSONText appends v as the json functions (to_json,
// json_build_*) write it: compact arrays, json values verbatim.
func appendJSONText(buf []byte, env *Env, v Value) ([]byte, error) {
	if v.IsNull() {
		return append(buf, "null"...), nil
	}
	if v.kind.IsArray() {
		buf = append(buf, '[')
		for i, e := range v.Elems() {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendJSONText(buf, env, e); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	}
	switch v.kind {
	case JSON:
		return append(buf, v.s...), nil
	case JSONB:
		return v.AppendText(buf), nil
	}
	n, err := toNode(env, v)
	if err != nil {
		return nil, err
	}
	return n.appendText(buf), nil
}

// ToJSON is to_json(v) for a non-NULL v.
func ToJSON(env *Env, v Value) (Value, error) {
	b, err := appendJSONText(nil, env, v)
	if err != nil {
		return Null, err
	}
	return Value{kind: JSON, valid: true, s: string(b)}, nil
}

// keyText returns the text of an object key argument.
func keyText(env *Env, v Value, pos int) (string, error) {
	if v.IsNull() {
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "argument %d: key must not be null", pos)
	}
	if v.kind.IsArray() || v.kind == JSON || v.kind == JSONB {
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
	}
	t, err := castKindEnv(env, v, Text)
	if err != nil {
		return "", err
	}
	return t.s, nil
}

func oddArgs() *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "argument list must have even number of elements").
		WithHint("The arguments of %s must consist of alternating keys and values.", "jsonb_build_object()")
}

// JSONBBuildObject is jsonb_build_object(k1, v1, ...).
func JSONBBuildObject(env *Env, args []Value) (Value, error) {
	if len(args)%2 != 0 {
		return Null, oddArgs()
	}
	n := &jsonNode{kind: 'o'}
	for i := 0; i < len(args); i += 2 {
		k, err := keyText(env, args[i], i+1)
		if err != nil {
			return Null, err
		}
		c, err := toNode(env, args[i+1])
		if err != nil {
			return Null, err
		}
		n.keys = append(n.keys, k)
		n.elems = append(n.elems, c)
	}
	n.normalize()
	return Value{kind: JSONB, valid: true, x: n}, nil
}

// JSONBBuildArray is jsonb_build_array(...), and JSONBAgg's result for
// jsonb_agg: an array of the values converted by to_jsonb.
func JSONBBuildArray(env *Env, args []Value) (Value, error) {
	n := &jsonNode{kind: 'a', elems: []*jsonNode{}}
	for _, a := range args {
		c, err := toNode(env, a)
		if err != nil {
			return Null, err
		}
		n.elems = append(n.elems, c)
	}
	return Value{kind: JSONB, valid: true, x: n}, nil
}

// JSONBuildObject is json_build_object(k1, v1, ...): json text with
// " : " between keys and values.
func JSONBuildObject(env *Env, args []Value) (Value, error) {
	if len(args)%2 != 0 {
		e := oddArgs()
		e.Hint = strings.Replace(e.Hint, "jsonb_build_object", "json_build_object", 1)
		return Null, e
	}
	buf := []byte{'{'}
	for i := 0; i < len(args); i += 2 {
		k, err := keyText(env, args[i], i+1)
		if err != nil {
			return Null, err
		}
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = appendJSONString(buf, k)
		buf = append(buf, " : "...)
		if buf, err = appendJSONText(buf, env, args[i+1]); err != nil {
			return Null, err
		}
	}
	return Value{kind: JSON, valid: true, s: string(append(buf, '}'))}, nil
}

// JSONBuildArray is json_build_array(...).
func JSONBuildArray(env *Env, args []Value) (Value, error) {
	buf := []byte{'['}
	for i, a := range args {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		var err error
		if buf, err = appendJSONText(buf, env, a); err != nil {
			return Null, err
		}
	}
	return Value{kind: JSON, valid: true, s: string(append(buf, ']'))}, nil
}

// JSONBSet is jsonb_set(target, path, value, create_missing): target with
// the element at path replaced by value, or added when the last step is
// missing and create is true.
func JSONBSet(target, path, value Value, create bool) (Value, error) {
	root, err := treeOf(target)
	if err != nil {
		return Null, err
	}
	nv, err := treeOf(value)
	if err != nil {
		return Null, err
	}
	steps := path.Elems()
	for i, s := range steps {
		if s.IsNull() {
			return Null, sqlerr.New(sqlerr.InvalidParameterValue, "path element at position %d is null", i+1)
		}
	}
	if root.kind != 'o' && root.kind != 'a' {
		return Null, sqlerr.New(sqlerr.InvalidParameterValue, "cannot set path in scalar")
	}
	out, err := setPath(root, steps, 0, nv, create)
	if err != nil {
		return Null, err
	}
	return Value{kind: JSONB, valid: true, x: out}, nil
}

// setPath returns a copy of n with the path from step i replaced.
func setPath(n *jsonNode, steps []Value, i int, nv *jsonNode, create bool) (*jsonNode, error) {
	if i == len(steps) {
		return nv, nil
	}
	key := steps[i].Str()
	switch n.kind {
	case 'o':
		out := &jsonNode{kind: 'o', keys: append([]string{}, n.keys...), elems: append([]*jsonNode{}, n.elems...)}
		for j, k := range out.keys {
			if k == key {
				c, err := setPath(out.elems[j], steps, i+1, nv, create)
				if err != nil {
					return nil, err
				}
				out.elems[j] = c
				return out, nil
			}
		}
		if create && i == len(steps)-1 {
			out.keys = append(out.keys, key)
			out.elems = append(out.elems, nv)
			out.normalize()
		}
		return out, nil
	case 'a':
		idx, err := strconv.ParseInt(trimSpace(key), 10, 32)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", i+1, key)
		}
		out := &jsonNode{kind: 'a', elems: append([]*jsonNode{}, n.elems...)}
		if idx < 0 {
			idx += int64(len(out.elems))
		}
		if idx >= 0 && idx < int64(len(out.elems)) {
			c, err := setPath(out.elems[idx], steps, i+1, nv, create)
			if err != nil {
				return nil, err
			}
			out.elems[idx] = c
			return out, nil
		}
		if create && i == len(steps)-1 {
			if idx < 0 {
				out.elems = append([]*jsonNode{nv}, out.elems...)
			} else {
				out.elems = append(out.elems, nv)
			}
		}
		return out, nil
	}
	return n, nil
}
