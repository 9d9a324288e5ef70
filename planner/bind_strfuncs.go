package planner

// String functions: octet_length, initcap, reverse, repeat, left, right,
// strpos, replace, starts_with, md5, ascii, chr, split_part, with
// PostgreSQL's semantics (C collation, UTF-8).

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// stringFunc binds the string functions of this file; ok is false for
// another name.
func (b *binder) stringFunc(name string, args []expr) (e expr, ok bool, err error) {
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	// sig coerces the arguments to the given types, failing as
	// PostgreSQL does when the count or a type does not fit.
	sig := func(ts ...types.T) ([]expr, error) {
		if len(args) != len(ts) {
			return nil, undefined()
		}
		out := make([]expr, len(args))
		for i, a := range args {
			k := a.typ().Kind
			if ts[i].Kind == types.Text && !(k.IsString() || k == types.Unknown) {
				return nil, undefined()
			}
			c, err := b.coerce(a, ts[i], types.CastImplicit)
			if err != nil {
				return nil, undefined()
			}
			out[i] = c
		}
		return out, nil
	}
	mk := func(t types.T, ts []types.T, fn func(v []types.Value) (types.Value, error)) (expr, bool, error) {
		a, err := sig(ts...)
		if err != nil {
			return nil, true, err
		}
		return &funcExpr{name: name, args: a, t: t, strict: true, fn: fn}, true, nil
	}
	txt, i4 := types.TText, types.TInt4
	switch name {
	case "octet_length":
		return mk(i4, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			return types.NewInt(types.Int4, int64(len(v[0].Str()))), nil
		})
	case "initcap":
		return mk(txt, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			var sb strings.Builder
			word := false
			for _, r := range v[0].Str() {
				if word {
					sb.WriteRune(unicode.ToLower(r))
				} else {
					sb.WriteRune(unicode.ToUpper(r))
				}
				word = unicode.IsLetter(r) || unicode.IsDigit(r)
			}
			return types.NewText(sb.String()), nil
		})
	case "reverse":
		return mk(txt, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			r := []rune(v[0].Str())
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return types.NewText(string(r)), nil
		})
	case "repeat":
		return mk(txt, []types.T{txt, i4}, func(v []types.Value) (types.Value, error) {
			n := v[1].Int()
			if n <= 0 {
				return types.NewText(""), nil
			}
			if int64(len(v[0].Str()))*n > 1<<30-1 {
				return types.Null, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
			}
			return types.NewText(strings.Repeat(v[0].Str(), int(n))), nil
		})
	case "left", "right":
		return mk(txt, []types.T{txt, i4}, func(v []types.Value) (types.Value, error) {
			r := []rune(v[0].Str())
			n := int(v[1].Int())
			if n < 0 {
				n = max(len(r)+n, 0)
			}
			n = min(n, len(r))
			if name == "left" {
				return types.NewText(string(r[:n])), nil
			}
			return types.NewText(string(r[len(r)-n:])), nil
		})
	case "strpos":
		return mk(i4, []types.T{txt, txt}, func(v []types.Value) (types.Value, error) {
			i := strings.Index(v[0].Str(), v[1].Str())
			if i < 0 {
				return types.NewInt(types.Int4, 0), nil
			}
			return types.NewInt(types.Int4, int64(utf8.RuneCountInString(v[0].Str()[:i])+1)), nil
		})
	case "replace":
		return mk(txt, []types.T{txt, txt, txt}, func(v []types.Value) (types.Value, error) {
			if v[1].Str() == "" {
				return v[0], nil
			}
			return types.NewText(strings.ReplaceAll(v[0].Str(), v[1].Str(), v[2].Str())), nil
		})
	case "starts_with":
		return mk(types.TBool, []types.T{txt, txt}, func(v []types.Value) (types.Value, error) {
			return types.NewBool(strings.HasPrefix(v[0].Str(), v[1].Str())), nil
		})
	case "md5":
		return mk(txt, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			sum := md5.Sum([]byte(v[0].Str()))
			return types.NewText(hex.EncodeToString(sum[:])), nil
		})
	case "ascii":
		return mk(i4, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			r, _ := utf8.DecodeRuneInString(v[0].Str())
			if v[0].Str() == "" {
				r = 0
			}
			return types.NewInt(types.Int4, int64(r)), nil
		})
	case "chr":
		return mk(txt, []types.T{i4}, func(v []types.Value) (types.Value, error) {
			n := v[0].Int()
			switch {
			case n == 0:
				return types.Null, sqlerr.New("54000", "null character not permitted")
			case n < 0 || n > unicode.MaxRune || (n >= 0xD800 && n <= 0xDFFF):
				return types.Null, sqlerr.New("54000", "requested character too large for encoding: %d", n)
			}
			return types.NewText(string(rune(n))), nil
		})
	case "split_part":
		return mk(txt, []types.T{txt, txt, i4}, func(v []types.Value) (types.Value, error) {
			n := v[2].Int()
			if n == 0 {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "field position must not be zero")
			}
			var parts []string
			if v[1].Str() == "" {
				parts = []string{v[0].Str()}
				if v[0].Str() == "" {
					parts = nil
				}
			} else {
				parts = strings.Split(v[0].Str(), v[1].Str())
			}
			if n < 0 {
				n = int64(len(parts)) + n + 1
			}
			if n < 1 || n > int64(len(parts)) {
				return types.NewText(""), nil
			}
			return types.NewText(parts[n-1]), nil
		})
	}
	return nil, false, nil
}
