package planner

// The memory settings that bound spilling: work_mem and temp_file_limit,
// parsed, checked and shown as PostgreSQL does for its integer settings
// in kilobytes.

import (
	"math"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// kbSetting describes an integer setting whose base unit is the kilobyte.
type kbSetting struct {
	min, max int64
}

// kbSettings are the memory settings SET checks and normalises.
var kbSettings = map[string]kbSetting{
	"work_mem":        {min: 64, max: math.MaxInt32},
	"temp_file_limit": {min: -1, max: math.MaxInt32},
}

// memoryUnits are PostgreSQL's memory units, in kilobytes.
var memoryUnits = []struct {
	name string
	kb   float64
}{{"B", 1.0 / 1024}, {"kB", 1}, {"MB", 1024}, {"GB", 1024 * 1024}, {"TB", 1024 * 1024 * 1024}}

// normalizeSetting checks a value SET gives a setting and returns the form
// SHOW then displays ("64kB", "4MB"). Settings that are not memory
// settings are returned unchanged.
func normalizeSetting(name, value string) (string, error) {
	spec, ok := kbSettings[name]
	if !ok {
		return value, nil
	}
	kb, err := parseKB(name, value, spec)
	if err != nil {
		return "", err
	}
	return formatKB(kb), nil
}

// parseKB parses a memory setting's value: a number (integer, or with a
// fraction or exponent) in kilobytes, or followed by a unit, rounded to
// whole kilobytes and checked against the setting's range.
func parseKB(name, value string, spec kbSetting) (int64, error) {
	bad := func() *sqlerr.Error {
		return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, value)
	}
	s := strings.TrimLeft(value, " \t\n\r\f\v")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := i
	// An integer is read as C's strtol with base 0 reads it: 0x for
	// hexadecimal, a leading 0 for octal.
	base := 10
	switch {
	case i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && isDigitIn(s[i+2], 16):
		base, i = 16, i+2
	case i+1 < len(s) && s[i] == '0' && s[i+1] >= '0' && s[i+1] <= '9':
		base = 8
	}
	for i < len(s) && isDigitIn(s[i], base) {
		i++
	}
	if i == digits {
		return 0, bad()
	}
	if base == 8 && i < len(s) && (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
		// A fraction or exponent: the whole number is read as a decimal
		// floating-point number.
		base, i = 10, digits
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if base != 10 {
		digitsFrom := digits
		if base == 16 {
			digitsFrom += 2
		}
		if i < len(s) && (s[i] == '.' || s[i] == 'e' || s[i] == 'E') && base == 16 {
			return 0, bad()
		}
		n, err := strconv.ParseInt(s[digitsFrom:i], base, 64)
		if err != nil {
			return 0, bad().WithHint("Value exceeds integer range.")
		}
		if s[0] == '-' {
			n = -n
		}
		return checkKB(name, float64(n), s[i:], false, spec, bad)
	}
	isFloat := false
	if i < len(s) && s[i] == '.' {
		isFloat = true
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			isFloat = true
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, bad()
	}
	return checkKB(name, f, s[i:], isFloat, spec, bad)
}

// isDigitIn reports whether c is a digit in base 8, 10 or 16.
func isDigitIn(c byte, base int) bool {
	switch {
	case c >= '0' && c <= '7':
		return true
	case c == '8' || c == '9':
		return base >= 10
	case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		return base == 16
	}
	return false
}

// checkKB applies the unit that follows a memory setting's number f and
// checks the range.
func checkKB(name string, f float64, rest string, isFloat bool, spec kbSetting, bad func() *sqlerr.Error) (int64, error) {
	rest = strings.Trim(rest, " \t\n\r\f\v")
	unitKB := 1.0
	if rest != "" {
		found := false
		for _, mu := range memoryUnits {
			if mu.name == rest {
				unitKB, found = mu.kb, true
				break
			}
		}
		if !found {
			return 0, bad().WithHint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")
		}
	}
	var kb float64
	if !isFloat && unitKB >= 1 {
		kb = f * unitKB
	} else {
		kb = math.RoundToEven(f * unitKB)
	}
	if kb > math.MaxInt32 || kb < math.MinInt32 || math.IsNaN(kb) {
		return 0, bad().WithHint("Value exceeds integer range.")
	}
	n := int64(kb)
	if n < spec.min || n > spec.max {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "%d kB is outside the valid range for parameter \"%s\" (%d .. %d)", n, name, spec.min, spec.max)
	}
	return n, nil
}

// formatKB renders kilobytes as SHOW does: in the largest unit that
// divides the value, a plain number for zero and -1.
func formatKB(kb int64) string {
	if kb <= 0 {
		return strconv.FormatInt(kb, 10)
	}
	for i := len(memoryUnits) - 1; i >= 1; i-- {
		u := int64(memoryUnits[i].kb)
		if kb%u == 0 {
			return strconv.FormatInt(kb/u, 10) + memoryUnits[i].name
		}
	}
	return strconv.FormatInt(kb, 10) + "kB"
}

// settingKB returns a memory setting of the session in kilobytes (the
// default when the stored value does not parse).
func (s *Session) settingKB(name string) int64 {
	spec := kbSettings[name]
	v, err := s.show(name)
	if err == nil {
		if kb, err := parseKB(name, v, spec); err == nil {
			return kb
		}
	}
	kb, _ := parseKB(name, defaultSettings[name], spec)
	return kb
}
