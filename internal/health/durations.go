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

// AppendJSON writes the summary as its JSON object, on one line:
// {"count": 3, "median_seconds": 3600, "p90_seconds": 7200}, with null
// figures when nothing was measured.
func (d Durations) AppendJSON(b []byte) []byte {
	b = append(b, `{"count": `...)
	b = strconv.AppendInt(b, int64(d.Count), 10)
	b = append(b, `, "median_seconds": `...)
	b = d.appendSeconds(b, d.Median)
	b = append(b, `, "p90_seconds": `...)
	b = d.appendSeconds(b, d.P90)
	return append(b, '}')
}

func (d Durations) appendSeconds(b []byte, s int64) []byte {
	if d.Count == 0 {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, s, 10)
}

// MarshalJSON is AppendJSON, for encoding/json.
func (d Durations) MarshalJSON() ([]byte, error) { return d.AppendJSON(nil), nil }
