package tuple

import (
	"bytes"
	"cmp"
	"math/big"
	"strings"
)

// Compare returns -1, 0 or +1 as a sorts before, equal to, or after b in the
// tuple order, which is the order of their encodings:
// Compare(a, b) == bytes.Compare(a.Pack(), b.Pack()).
//
// Tuples compare element by element; a tuple that is a prefix of another
// sorts first. Elements of different kinds sort by type code: nil, []byte,
// string, Tuple, integers, float32, float64, bool, UUID, Versionstamp.
// Integers of all Go types compare by numeric value; floats compare by the
// IEEE total order (-NaN < -Inf < ... < -0 < +0 < ... < +Inf < +NaN, NaNs by
// payload), and every float32 sorts before every float64. Strings and byte
// strings compare bytewise, false sorts before true. Elements of types Pack
// does not support sort after all others and compare equal to each other.
func Compare(a, b Tuple) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareElem(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// Element kinds, numbered by type code so that kinds compare like codes.
const (
	kindNil          = codeNil
	kindBytes        = codeBytes
	kindString       = codeString
	kindNested       = codeNested
	kindInt          = codeIntZero
	kindFloat        = codeFloat
	kindDouble       = codeDouble
	kindBool         = codeFalse
	kindUUID         = codeUUID
	kindVersionstamp = codeVersionstamp
	kindUnsupported  = 0x100
)

// intValue is an integer element reduced to one of two forms: small (fits in
// int64) or big.
type intValue struct {
	small int64
	big   *big.Int // non-nil when the value does not fit in int64
}

func kindOf(e any) int {
	switch e := e.(type) {
	case nil:
		return kindNil
	case []byte:
		return kindBytes
	case string:
		return kindString
	case Tuple:
		return kindNested
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return kindInt
	case *big.Int:
		if e == nil {
			return kindUnsupported
		}
		return kindInt
	case float32:
		return kindFloat
	case float64:
		return kindDouble
	case bool:
		return kindBool
	case UUID:
		return kindUUID
	case Versionstamp:
		return kindVersionstamp
	default:
		return kindUnsupported
	}
}

// toInt reduces an element of kind kindInt.
func toInt(e any) intValue {
	switch e := e.(type) {
	case int:
		return intValue{small: int64(e)}
	case int8:
		return intValue{small: int64(e)}
	case int16:
		return intValue{small: int64(e)}
	case int32:
		return intValue{small: int64(e)}
	case int64:
		return intValue{small: e}
	case uint:
		return fromUint64(uint64(e))
	case uint8:
		return intValue{small: int64(e)}
	case uint16:
		return intValue{small: int64(e)}
	case uint32:
		return intValue{small: int64(e)}
	case uint64:
		return fromUint64(e)
	case uintptr:
		return fromUint64(uint64(e))
	case *big.Int:
		if e.IsInt64() {
			return intValue{small: e.Int64()}
		}
		return intValue{big: e}
	}
	return intValue{}
}

func fromUint64(u uint64) intValue {
	if u <= 1<<63-1 {
		return intValue{small: int64(u)}
	}
	return intValue{big: new(big.Int).SetUint64(u)}
}

func (x intValue) compare(y intValue) int {
	if x.big == nil && y.big == nil {
		return cmp.Compare(x.small, y.small)
	}
	xb, yb := x.big, y.big
	if xb == nil {
		xb = big.NewInt(x.small)
	}
	if yb == nil {
		yb = big.NewInt(y.small)
	}
	return xb.Cmp(yb)
}

func compareElem(a, b any) int {
	ka, kb := kindOf(a), kindOf(b)
	if ka != kb {
		return cmp.Compare(ka, kb)
	}
	switch ka {
	case kindBytes:
		return bytes.Compare(a.([]byte), b.([]byte))
	case kindString:
		return strings.Compare(a.(string), b.(string))
	case kindNested:
		return Compare(a.(Tuple), b.(Tuple))
	case kindInt:
		return toInt(a).compare(toInt(b))
	case kindFloat:
		return cmp.Compare(encodeFloat32(a.(float32)), encodeFloat32(b.(float32)))
	case kindDouble:
		return cmp.Compare(encodeFloat64(a.(float64)), encodeFloat64(b.(float64)))
	case kindBool:
		ab, bb := a.(bool), b.(bool)
		switch {
		case ab == bb:
			return 0
		case bb:
			return -1
		default:
			return 1
		}
	case kindUUID:
		ua, ub := a.(UUID), b.(UUID)
		return bytes.Compare(ua[:], ub[:])
	case kindVersionstamp:
		va, vb := a.(Versionstamp), b.(Versionstamp)
		if c := bytes.Compare(va.TransactionVersion[:], vb.TransactionVersion[:]); c != 0 {
			return c
		}
		return cmp.Compare(va.UserVersion, vb.UserVersion)
	}
	return 0 // nil, or two unsupported elements
}
