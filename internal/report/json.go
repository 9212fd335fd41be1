package report

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// JSON renders a report as JSON indented by two spaces, with a final
// newline: the bytes encoding/json writes for Report (with HTML escaping
// off), several times faster. A foundation's reports hold millions of
// entries, and the layout of each is fixed, so it is written here as
// literal pieces.
func JSON(r *Report) []byte {
	return appendJSON(nil, r)
}

// Indentation of the entries of a top-level list and of their members.
const (
	item  = "\n    {\n      "
	field = ",\n      "
	end   = "\n    }"
)

// appendJSON appends the JSON of a report to dst.
func appendJSON(dst []byte, r *Report) []byte {
	// About what the entries take, names and ids aside.
	size := 1024 + len(r.People)*200 + len(r.Active)*70 + len(r.Organizations)*240 + (len(r.Returning)+len(r.Quiet))*60
	for i := range r.People {
		size += len(r.People[i].Name)
		if id := r.People[i].ID; id != nil {
			size += 2 * len(*id)
		}
	}
	b := slices.Grow(dst, size)
	b = append(b, "{\n  \"period\": "...)
	b = appendString(b, r.Period)
	b = append(b, ",\n  \"previous\": "...)
	b = appendString(b, r.Previous)

	b = append(b, ",\n  \"people\": ["...)
	for i := range r.People {
		p := &r.People[i]
		b = appendItem(b, i)
		b = append(b, `"rank": `...)
		b = strconv.AppendInt(b, int64(p.Rank), 10)
		b = append(b, field+`"id": `...)
		b = appendStringPtr(b, p.ID)
		b = append(b, field+`"name": `...)
		b = appendString(b, p.Name)
		b = append(b, field+`"score": `...)
		b = strconv.AppendInt(b, int64(p.Score), 10)
		b = append(b, field+`"credits": `...)
		b = strconv.AppendInt(b, int64(p.Credits), 10)
		b = append(b, field+`"delta_score": `...)
		b = strconv.AppendInt(b, int64(p.DeltaScore), 10)
		b = append(b, field+`"delta_rank": `...)
		b = appendIntPtr(b, p.DeltaRank)
		b = append(b, field+`"new": `...)
		b = strconv.AppendBool(b, p.New)
		b = append(b, end...)
	}
	b = closeList(b, len(r.People))

	b = append(b, ",\n  \"active\": ["...)
	for i := range r.Active {
		a := &r.Active[i]
		b = appendItem(b, i)
		b = append(b, `"rank": `...)
		b = strconv.AppendInt(b, int64(a.Rank), 10)
		b = append(b, field+`"id": `...)
		b = appendStringPtr(b, a.ID)
		b = append(b, field+`"credits": `...)
		b = strconv.AppendInt(b, int64(a.Credits), 10)
		b = append(b, end...)
	}
	b = closeList(b, len(r.Active))

	b = append(b, ",\n  \"organizations\": ["...)
	for i := range r.Organizations {
		o := &r.Organizations[i]
		b = appendItem(b, i)
		b = append(b, `"rank": `...)
		b = strconv.AppendInt(b, int64(o.Rank), 10)
		b = append(b, field+`"id": `...)
		b = appendString(b, o.ID)
		b = append(b, field+`"name": `...)
		b = appendString(b, o.Name)
		b = append(b, field+`"score": `...)
		b = strconv.AppendInt(b, int64(o.Score), 10)
		b = append(b, field+`"credits": `...)
		b = strconv.AppendInt(b, int64(o.Credits), 10)
		b = append(b, field+`"people": `...)
		b = strconv.AppendInt(b, int64(o.People), 10)
		b = append(b, field+`"delta_score": `...)
		b = strconv.AppendInt(b, int64(o.DeltaScore), 10)
		b = append(b, field+`"delta_rank": `...)
		b = appendIntPtr(b, o.DeltaRank)
		b = append(b, field+`"partner": `...)
		b = strconv.AppendBool(b, o.Partner)
		b = append(b, end...)
	}
	b = closeList(b, len(r.Organizations))

	b = append(b, ",\n  \"new_contributors\": "...)
	b = strconv.AppendInt(b, int64(r.NewContributors), 10)
	b = append(b, ",\n  \"new_members\": "...)
	b = strconv.AppendInt(b, int64(r.NewMembers), 10)
	b = append(b, ",\n  \"complete\": "...)
	b = strconv.AppendBool(b, r.Complete)
	b = append(b, ",\n  \"totals\": {\n    \"score\": "...)
	b = strconv.AppendInt(b, int64(r.Totals.Score), 10)
	b = append(b, ",\n    \"credits\": "...)
	b = strconv.AppendInt(b, int64(r.Totals.Credits), 10)
	b = append(b, ",\n    \"contributors\": "...)
	b = strconv.AppendInt(b, int64(r.Totals.Contributors), 10)
	b = append(b, "\n  }"...)

	for _, list := range [...]struct {
		key   string
		names []Named
	}{{",\n  \"returning\": [", r.Returning}, {",\n  \"quiet\": [", r.Quiet}} {
		b = append(b, list.key...)
		for i, n := range list.names {
			b = appendItem(b, i)
			b = append(b, `"id": `...)
			b = appendStringPtr(b, n.ID)
			b = append(b, field+`"name": `...)
			b = appendString(b, n.Name)
			b = append(b, end...)
		}
		b = closeList(b, len(list.names))
	}

	b = append(b, ",\n  \"onion\": {\n    \"core\": "...)
	b = strconv.AppendInt(b, int64(r.Onion.Core), 10)
	b = append(b, ",\n    \"regular\": "...)
	b = strconv.AppendInt(b, int64(r.Onion.Regular), 10)
	b = append(b, ",\n    \"casual\": "...)
	b = strconv.AppendInt(b, int64(r.Onion.Casual), 10)
	b = append(b, "\n  }"...)

	b = append(b, ",\n  \"champions\": ["...)
	for i, c := range r.Champions {
		b = appendItem(b, i)
		b = append(b, `"kind": `...)
		b = appendString(b, c.Kind)
		b = append(b, field+`"id": `...)
		b = appendStringPtr(b, c.ID)
		b = append(b, field+`"name": `...)
		b = appendString(b, c.Name)
		b = append(b, field+`"score": `...)
		b = strconv.AppendInt(b, int64(c.Score), 10)
		b = append(b, field+`"credits": `...)
		b = strconv.AppendInt(b, int64(c.Credits), 10)
		b = append(b, end...)
	}
	b = closeList(b, len(r.Champions))

	b = append(b, ",\n  \"projects\": ["...)
	for i, p := range r.Projects {
		b = appendItem(b, i)
		b = append(b, `"project": `...)
		b = appendString(b, p.Project)
		b = append(b, field+`"score": `...)
		b = strconv.AppendInt(b, int64(p.Score), 10)
		b = append(b, field+`"credits": `...)
		b = strconv.AppendInt(b, int64(p.Credits), 10)
		b = append(b, field+`"people": `...)
		b = strconv.AppendInt(b, int64(p.People), 10)
		b = append(b, end...)
	}
	b = closeList(b, len(r.Projects))

	b = append(b, ",\n  \"notes\": ["...)
	for i, n := range r.Notes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = appendString(b, n)
	}
	b = closeList(b, len(r.Notes))

	b = append(b, ",\n  \"alerts\": ["...)
	for i, a := range r.Alerts {
		b = appendItem(b, i)
		b = append(b, `"id": `...)
		b = appendString(b, a.ID)
		b = append(b, field+`"name": `...)
		b = appendString(b, a.Name)
		b = append(b, field+`"previous": `...)
		b = strconv.AppendInt(b, int64(a.Previous), 10)
		b = append(b, field+`"score": `...)
		b = strconv.AppendInt(b, int64(a.Score), 10)
		b = append(b, end...)
	}
	b = closeList(b, len(r.Alerts))
	b = appendHealth(b, &r.Health)
	return append(b, "\n}\n"...)
}

// appendItem opens the i-th object of a top-level list.
func appendItem(b []byte, i int) []byte {
	if i > 0 {
		b = append(b, ',')
	}
	return append(b, item...)
}

// closeList ends a top-level list of n entries: [] when empty.
func closeList(b []byte, n int) []byte {
	if n == 0 {
		return append(b, ']')
	}
	return append(b, "\n  ]"...)
}

func appendIntPtr(b []byte, n *int) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*n), 10)
}

func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

// plain marks the bytes a JSON string holds as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString writes a string as encoding/json does with HTML escaping
// off: control characters escaped, U+2028 and U+2029 escaped for
// JavaScript, invalid UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONString writes a string as encoding/json does with HTML
// escaping off, for other packages' hand-written JSON.
func AppendJSONString(b []byte, s string) []byte { return appendString(b, s) }
