package ledger

import (
	"fmt"
	"time"
)

// Date is a calendar date packed as YYYYMMDD, so that dates compare as
// integers and cost four bytes in a million-credit ledger. The zero Date
// means "not set".
type Date int32

// Month is a calendar month counted from year 0 (year*12 + month-1), so that
// month arithmetic is integer arithmetic.
type Month int32

// ParseDate reads "YYYY-MM-DD" and rejects impossible dates such as
// 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, fmt.Errorf("%q is not a real date", s)
	}
	return Date(y*10000 + m*100 + d), nil
}

// MustDate is ParseDate for literals in tests and generators.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (d Date) Year() int    { return int(d) / 10000 }
func (d Date) Day() int     { return int(d) % 100 }
func (d Date) IsZero() bool { return d == 0 }

// Month returns the month the date falls in.
func (d Date) Month() Month { return MonthOf(d.Year(), int(d)/100%100) }

func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d)/100%100, d.Day())
}

// Time returns midnight of the date in UTC.
func (d Date) Time() time.Time {
	return time.Date(d.Year(), time.Month(int(d)/100%100), d.Day(), 0, 0, 0, 0, time.UTC)
}

// MonthOf builds a Month from a year and a month number (1-12).
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	if len(s) == 7 && s[4] == '-' {
		y, ok1 := digits(s[:4])
		m, ok2 := digits(s[5:])
		if ok1 && ok2 && m >= 1 && m <= 12 {
			return MonthOf(y, m), nil
		}
	}
	return 0, fmt.Errorf("%q is not a month in the form YYYY-MM", s)
}

func (m Month) Year() int   { return int(m) / 12 }
func (m Month) Number() int { return int(m)%12 + 1 }

// First is the month's first day.
func (m Month) First() Date { return Date(m.Year()*10000 + m.Number()*100 + 1) }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.Number()) }

// Location is the program's time zone, in which months begin and end; UTC
// when there is no program or it names none.
func (p *Program) Location() (*time.Location, error) {
	if p == nil || p.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil || p.Timezone == "Local" {
		return nil, fmt.Errorf("program.yaml: time zone %q is not an IANA time zone name such as Europe/Berlin", p.Timezone)
	}
	return loc, nil
}

// DateOf is the date of an instant in a time zone.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date(y*10000 + int(m)*100 + d)
}

// PeriodOn is the scoring period in force on a date, or nil before the
// first one.
func (p *Program) PeriodOn(d Date) *ScoringPeriod {
	var found *ScoringPeriod
	for i := range p.Scoring {
		if sp := &p.Scoring[i]; sp.From <= d && (found == nil || sp.From > found.From) {
			found = sp
		}
	}
	return found
}

// Defines tells whether the scoring period in force on a date defines a
// kind of credit.
func (p *Program) Defines(kind string, d Date) bool {
	sp := p.PeriodOn(d)
	if sp == nil {
		return false
	}
	_, ok := sp.Kinds[kind]
	return ok
}
