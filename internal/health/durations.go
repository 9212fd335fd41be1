package health

import (
	"slices"
	"strconv"
)

// Durations summarises how long something took: how many were measured,
// and the median and 90th percentile of their durations in seconds.
//
// Percentiles are by nearest rank: the p-th percentile of n sorted values
// is the value at rank ceil(p/100 × n), counting from 1. It is always one
// of the durations measured, never an interpolation, so the median of an
// even number of values is the lower of the two middle ones.
type Durations struct {
	Count int
	// Median and P90 are seconds, meaningful only when Count > 0.
	Median, P90 int64
}

// Summarise sorts durations in place and summarises them.
func Summarise(seconds []int64) Durations {
	if len(seconds) == 0 {
		return Durations{}
	}
	slices.Sort(seconds)
	return Durations{Count: len(seconds), Median: NearestRank(seconds, 50), P90: NearestRank(seconds, 90)}
}

// NearestRank is the p-th percentile (1 to 100) of sorted, non-empty
// values by nearest rank.
func NearestRank(sorted []int64, p int) int64 {
	rank := (p*len(sorted) + 99) / 100 // ceil(p × n / 100)
	return sorted[max(rank, 1)-1]
}

// Times holds a summary for each time metric, by Metric.
type Times [metrics]Durations

// MarshalJSON writes the summaries as an object keyed by the metrics'
// keys: {"time_to_first_review": {"count": 3, "median_seconds": 3600,
// "p90_seconds": 7200}, ...}, with null figures where nothing was
// measured.
func (t Times) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil, ""), nil }

// AppendJSON writes the object MarshalJSON writes, indented as
// encoding/json indents it by two spaces from indent, or on one line
// when indent is "".
func (t Times) AppendJSON(b []byte, indent string) []byte {
	w := jsonWriter{b: b, indent: indent}
	w.b = append(w.b, '{')
	for m, d := range t {
		w.key(m, "  ", Metrics[m].Key)
		w.durations(d, indent+"  ")
	}
	w.newline("")
	return append(w.b, '}')
}

// MarshalJSON writes {"count": 3, "median_seconds": 3600, "p90_seconds":
// 7200}, with null figures when nothing was measured.
func (d Durations) MarshalJSON() ([]byte, error) {
	w := jsonWriter{}
	w.durations(d, "")
	return w.b, nil
}

// jsonWriter writes the objects of this package as encoding/json would,
// indented from indent ("" for one line).
type jsonWriter struct {
	b      []byte
	indent string
}

func (w *jsonWriter) newline(extra string) {
	if w.indent != "" {
		w.b = append(w.b, '\n')
		w.b = append(w.b, w.indent...)
		w.b = append(w.b, extra...)
	}
}

// key starts the i-th member of an object.
func (w *jsonWriter) key(i int, extra, key string) {
	if i > 0 {
		w.b = append(w.b, ',')
	}
	w.newline(extra)
	w.b = append(w.b, '"')
	w.b = append(w.b, key...)
	w.b = append(w.b, '"', ':')
	if w.indent != "" {
		w.b = append(w.b, ' ')
	}
}

func (w *jsonWriter) durations(d Durations, indent string) {
	inner := jsonWriter{b: w.b, indent: indent}
	if w.indent == "" {
		inner.indent = ""
	}
	inner.b = append(inner.b, '{')
	for k, f := range [...]struct {
		key   string
		value int64
	}{{"count", int64(d.Count)}, {"median_seconds", d.Median}, {"p90_seconds", d.P90}} {
		inner.key(k, "  ", f.key)
		if k > 0 && d.Count == 0 {
			inner.b = append(inner.b, "null"...)
		} else {
			inner.b = strconv.AppendInt(inner.b, f.value, 10)
		}
	}
	inner.newline("")
	w.b = append(inner.b, '}')
}
