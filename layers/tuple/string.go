package tuple

import (
	"fmt"
	"strconv"
	"strings"
)

// String formats t for people, e.g. ("users", 42, nil, b"\x00\xff", 1.5,
// true, ("nested",)). Strings are Go-quoted; byte strings print as b"..."
// with printable ASCII kept and other bytes as \xNN.
func (t Tuple) String() string {
	var sb strings.Builder
	t.format(&sb)
	return sb.String()
}

func (t Tuple) format(sb *strings.Builder) {
	sb.WriteByte('(')
	for i, e := range t {
		if i > 0 {
			sb.WriteString(", ")
		}
		formatElem(sb, e)
	}
	if len(t) == 1 {
		sb.WriteByte(',')
	}
	sb.WriteByte(')')
}

func formatElem(sb *strings.Builder, e any) {
	switch e := e.(type) {
	case nil:
		sb.WriteString("nil")
	case []byte:
		sb.WriteString(`b"`)
		const hexDigits = "0123456789abcdef"
		for _, c := range e {
			switch {
			case c == '"' || c == '\\':
				sb.WriteByte('\\')
				sb.WriteByte(c)
			case c >= 0x20 && c < 0x7f:
				sb.WriteByte(c)
			default:
				sb.WriteString(`\x`)
				sb.WriteByte(hexDigits[c>>4])
				sb.WriteByte(hexDigits[c&0xf])
			}
		}
		sb.WriteByte('"')
	case string:
		sb.WriteString(strconv.Quote(e))
	case Tuple:
		e.format(sb)
	case float32:
		sb.WriteString(strconv.FormatFloat(float64(e), 'g', -1, 32))
		sb.WriteString("f32")
	case float64:
		sb.WriteString(strconv.FormatFloat(e, 'g', -1, 64))
	case UUID:
		sb.WriteString("UUID(")
		sb.WriteString(e.String())
		sb.WriteByte(')')
	default:
		if kindOf(e) == kindUnsupported {
			fmt.Fprintf(sb, "<unsupported %T>", e)
			return
		}
		// Integers, bools, *big.Int and Versionstamp print through fmt.
		fmt.Fprint(sb, e)
	}
}
