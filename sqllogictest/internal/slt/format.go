// Value formatting, sorting, hashing and comparison of query results, as
// SQLite's reference runner does them (sqllogictest.c with slt_sqlite.c and
// slt_odbc3.c), applied to the text form of PostgreSQL's values.

package slt

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// BoolOID is PostgreSQL's type OID for boolean, whose text form is t/f.
const BoolOID = 16

// FormatValue renders one result value for comparison, given the column's
// type letter, the value's text form (nil for NULL) and its PostgreSQL
// type OID (0 if unknown):
//
//   - NULL is "NULL" in every column.
//   - T: the text, "(empty)" for the empty string, with every byte outside
//     printable ASCII (below ' ' or above '~') replaced by '@', as the
//     reference runners do.
//   - I: an integer; a boolean is 1 or 0 and a real or numeric value is
//     truncated toward zero (the reference runners read the column as a C
//     integer, which truncates).
//   - R: the value as a double printed with "%.3f"; a boolean is 1.000 or
//     0.000.
//
// A value of an I or R column that is not a number is shown as its text,
// so that it cannot pass for a number.
func FormatValue(typ byte, v []byte, oid uint32) string {
	if v == nil {
		return "NULL"
	}
	s := string(v)
	switch typ {
	case 'I':
		if oid == BoolOID {
			return boolNumber(s, "1", "0")
		}
		if i, ok := truncInt(s); ok {
			return i
		}
		return s
	case 'R':
		if oid == BoolOID {
			return boolNumber(s, "1.000", "0.000")
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return fmt.Sprintf("%.3f", f)
		}
		return s
	default:
		if s == "" {
			return "(empty)"
		}
		b := []byte(s)
		for i, c := range b {
			if c < ' ' || c > '~' {
				b[i] = '@'
			}
		}
		return string(b)
	}
}

// boolNumber maps PostgreSQL's t/f to yes/no (other text stays as it is).
func boolNumber(s, yes, no string) string {
	switch s {
	case "t", "true":
		return yes
	case "f", "false":
		return no
	}
	return s
}

// truncInt returns the integer part of a decimal or floating-point number
// in text form, exactly (no int64 limit for plain decimals), and whether s
// was a finite number.
func truncInt(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if d, ok := plainDecimal(s); ok {
		return d, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	t := new(big.Float).SetFloat64(math.Trunc(f)).Text('f', 0)
	if t == "-0" {
		t = "0"
	}
	return t, true
}

// plainDecimal handles [+-]digits[.digits] without an exponent: it returns
// the integer part with the sign, without leading zeros ("0" for zero).
func plainDecimal(s string) (string, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return "", false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return "", false
			}
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		return "0", true
	}
	if neg {
		return "-" + intPart, true
	}
	return intPart, true
}

// SortValues orders vals (ncols values per row) in place as mode says:
// rows compared value by value with bytewise string comparison, or every
// value on its own.
func SortValues(vals []string, ncols int, mode SortMode) {
	switch mode {
	case ValueSort:
		slices.Sort(vals)
	case RowSort:
		if ncols <= 0 || len(vals)%ncols != 0 {
			return
		}
		rows := make([][]string, 0, len(vals)/ncols)
		for i := 0; i < len(vals); i += ncols {
			rows = append(rows, vals[i:i+ncols:i+ncols])
		}
		slices.SortStableFunc(rows, slices.Compare)
		sorted := make([]string, 0, len(vals))
		for _, r := range rows {
			sorted = append(sorted, r...)
		}
		copy(vals, sorted)
	}
}

// Hash returns the MD5, in lower-case hex, of every value followed by a
// newline: the hash of "N values hashing to HASH".
func Hash(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashLine returns "N values hashing to HASH" for vals.
func HashLine(vals []string) string {
	return fmt.Sprintf("%d values hashing to %s", len(vals), Hash(vals))
}

// Compare checks formatted, sorted values against a query record's
// expected result, which may list the values or give their hash (whichever
// form the script uses is accepted, whatever the hash threshold). It
// returns "" when they agree, else a short reason.
func Compare(rec *Record, got []string) string {
	if n, hash, ok := rec.ExpectedHash(); ok {
		if n != len(got) {
			return fmt.Sprintf("expected %d values, got %d", n, len(got))
		}
		if h := Hash(got); h != hash {
			return "wrong result hash"
		}
		return ""
	}
	if len(rec.Expected) != len(got) {
		return fmt.Sprintf("expected %d values, got %d", len(rec.Expected), len(got))
	}
	for i := range got {
		if got[i] != rec.Expected[i] {
			return fmt.Sprintf("wrong result: value %d (row %d, column %d)", i+1, i/len(rec.Types)+1, i%len(rec.Types)+1)
		}
	}
	return ""
}
