// Package money holds exact decimal amounts. Money is never a float: an
// Amount counts ten-thousandths of a currency unit, which is exact for every
// ISO 4217 currency (none has more than four minor digits).
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// Scale is how many Amount steps make one currency unit.
const Scale = 10000

// Amount is a decimal amount in ten-thousandths of a unit.
type Amount int64

// Limit is the first amount too large to write: amounts have at most
// twelve digits before the point, far above any payment, minimum or goal.
// A total must stay below it too: validation reports a month of payments
// that does not, so every figure a report shows is what was paid.
const Limit Amount = 1_000_000_000_000 * Scale

// Parse reads a non-negative decimal such as "100", "100.5" or "89.12",
// below Limit. It rejects signs, exponents, separators and more than four
// decimals, so that what is written is exactly what is counted.
func Parse(s string) (Amount, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	if len(frac) > 4 {
		return 0, fmt.Errorf("%q has more than four decimals", s)
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%q has more than 12 digits before the point", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "0000")[:4], 10, 64)
	return Amount(w*Scale + f), nil
}

// Decimals is how many decimals the amount needs to be written exactly.
func (a Amount) Decimals() int {
	f := int64(a) % Scale
	switch {
	case f == 0:
		return 0
	case f%100 == 0:
		return 2 // "10.50", not "10.5": money reads in cents
	case f%10 == 0:
		return 3
	}
	return 4
}

// Format writes the amount with exactly the given number of decimals
// (0 to 4), rounding half away from zero.
func (a Amount) Format(decimals int) string {
	step := int64(1)
	for i := decimals; i < 4; i++ {
		step *= 10
	}
	v := int64(a)
	neg := v < 0
	if neg {
		v = -v
	}
	v = (v + step/2) / step * step
	s := strconv.FormatInt(v/Scale, 10)
	if decimals > 0 {
		s += "." + fmt.Sprintf("%04d", v%Scale)[:decimals]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String writes the amount with two decimals, or more when needed.
func (a Amount) String() string { return a.Format(max(2, a.Decimals())) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
