package words

import "strconv"

// Duration writes a number of seconds as a person reads a wait: whole
// days when it is whole days ("0 days", "3 days": a duration measured
// between dates), else minutes under an hour, hours under two days, and
// days with a decimal under ten days ("2.5 days"), whole days past that.
// Every figure is rounded half up.
func Duration(seconds int64) string {
	const minute, hour, day = 60, 3600, 86400
	round := func(n, unit int64) int64 { return (n + unit/2) / unit }
	switch {
	case seconds < 0:
		return "−" + Duration(-seconds)
	case seconds%day == 0:
		return Plural(int(seconds/day), "day")
	case seconds < hour:
		return Plural(int(round(seconds, minute)), "minute")
	case seconds < 2*day:
		return Plural(int(round(seconds, hour)), "hour")
	case seconds < 10*day:
		tenths := round(seconds, day/10)
		return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10) + " days"
	}
	return Plural(int(round(seconds, day)), "day")
}

// Change is how much a figure moved against an earlier one, as a
// percentage rounded half away from zero: "+14%", "−20%", "±0%"; "new"
// when it was 0 before, "–" when it is 0 in both.
func Change(now, before int) string {
	switch {
	case before == 0 && now == 0:
		return "–"
	case before == 0:
		return "new"
	}
	diff := now - before
	neg := diff < 0
	if neg {
		diff = -diff
	}
	pct := (200*diff + before) / (2 * before)
	switch {
	case pct == 0:
		return "±0%"
	case neg:
		return "−" + Thousands(pct) + "%"
	}
	return "+" + Thousands(pct) + "%"
}
