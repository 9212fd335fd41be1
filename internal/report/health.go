package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// Health is a period's community health figures: how long work waited,
// over what ended in the period (see internal/health), its releases, and
// its activity by kind against the same months a year before.
type Health struct {
	Times      health.Times    `json:"times"`
	Releases   int             `json:"releases"`
	YearBefore YearBefore      `json:"year_before"`
	Kinds      []KindActivity  `json:"kinds"`
	Projects   []ProjectHealth `json:"projects"`
	// yearBefore is the period YearBefore names.
	yearBefore score.Period
}

// YearBefore is the period's figures a year earlier: the same months, so
// a period to date is compared with the same part of the one before.
type YearBefore struct {
	// Period names the period a year before (2025-10, 2025-Q4, 2025).
	Period       string `json:"period"`
	Score        int    `json:"score"`
	Credits      int    `json:"credits"`
	Contributors int    `json:"contributors"`
}

// KindActivity is the credits of one kind in the period and a year
// before, for every kind with credits in either.
type KindActivity struct {
	Kind       string `json:"kind"`
	Credits    int    `json:"credits"`
	YearBefore int    `json:"year_before"`
}

// ProjectHealth is one project's figures, for each project with a
// measurement or a release in the period, by name.
type ProjectHealth struct {
	Project  string       `json:"project"`
	Times    health.Times `json:"times"`
	Releases int          `json:"releases"`
}

// health computes a period's health section: cur is its figures.
func (bl *builder) health(p score.Period, cur *stats, reuse []ProjectHealth) Health {
	s := bl.measures.Section(p.Start, cur.last)
	out := Health{Times: s.Times, Releases: s.Releases, Projects: resize(reuse, len(s.Projects))}
	for i, ps := range s.Projects {
		out.Projects[i] = ProjectHealth{Project: ps.Project, Times: ps.Times, Releases: ps.Releases}
	}
	const year = 12
	out.yearBefore = score.Period{Span: p.Span, Start: p.Start - year}
	out.YearBefore.Period = out.yearBefore.String()
	counts := map[int32]*KindActivity{}
	kind := func(k int32) *KindActivity {
		a := counts[k]
		if a == nil {
			a = &KindActivity{Kind: bl.kindName(k)}
			counts[k] = a
		}
		return a
	}
	for _, d := range cur.months {
		for _, e := range d.kinds {
			kind(e.kind).Credits += int(e.credits)
		}
	}
	sc := bl.getScratch()
	defer bl.scratch.Put(sc)
	sc.reset()
	for m := p.Start - year; m <= cur.last-year; m++ {
		d := bl.month(m)
		out.YearBefore.Score += d.score
		out.YearBefore.Credits += d.credits
		for _, mm := range d.members {
			sc.add(mm.who, 0, 0)
		}
		for _, e := range d.kinds {
			kind(e.kind).YearBefore += int(e.credits)
		}
	}
	out.YearBefore.Contributors = len(sc.touched)
	out.Kinds = make([]KindActivity, 0, len(counts))
	for _, a := range counts {
		out.Kinds = append(out.Kinds, *a)
	}
	slices.SortFunc(out.Kinds, func(a, b KindActivity) int { return cmp.Compare(a.Kind, b.Kind) })
	return out
}

// appendHealth writes the health section's JSON.
func appendHealth(b []byte, h *Health) []byte {
	b = append(b, ",\n  \"health\": {\n    \"times\": "...)
	b = h.Times.AppendJSON(b, "    ")
	b = append(b, ",\n    \"releases\": "...)
	b = strconv.AppendInt(b, int64(h.Releases), 10)
	y := &h.YearBefore
	b = append(b, ",\n    \"year_before\": {\n      \"period\": "...)
	b = appendString(b, y.Period)
	b = append(b, ",\n      \"score\": "...)
	b = strconv.AppendInt(b, int64(y.Score), 10)
	b = append(b, ",\n      \"credits\": "...)
	b = strconv.AppendInt(b, int64(y.Credits), 10)
	b = append(b, ",\n      \"contributors\": "...)
	b = strconv.AppendInt(b, int64(y.Contributors), 10)
	b = append(b, "\n    },\n    \"kinds\": ["...)
	for i, k := range h.Kinds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n      {\n        \"kind\": "...)
		b = appendString(b, k.Kind)
		b = append(b, ",\n        \"credits\": "...)
		b = strconv.AppendInt(b, int64(k.Credits), 10)
		b = append(b, ",\n        \"year_before\": "...)
		b = strconv.AppendInt(b, int64(k.YearBefore), 10)
		b = append(b, "\n      }"...)
	}
	b = closeNested(b, len(h.Kinds))
	b = append(b, ",\n    \"projects\": ["...)
	for i, p := range h.Projects {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n      {\n        \"project\": "...)
		b = appendString(b, p.Project)
		b = append(b, ",\n        \"times\": "...)
		b = p.Times.AppendJSON(b, "        ")
		b = append(b, ",\n        \"releases\": "...)
		b = strconv.AppendInt(b, int64(p.Releases), 10)
		b = append(b, "\n      }"...)
	}
	b = closeNested(b, len(h.Projects))
	return append(b, "\n  }"...)
}

// closeNested ends a list of n entries inside a top-level object.
func closeNested(b []byte, n int) []byte {
	if n == 0 {
		return append(b, ']')
	}
	return append(b, "\n    ]"...)
}

// health writes the community health section.
func (md *mdWriter) health() {
	h := &md.r.Health
	if md.r.Totals.Credits == 0 {
		return
	}
	md.line("## Community health\n")
	measured := false
	for _, d := range h.Times {
		measured = measured || d.Count > 0
	}
	if measured {
		md.printf("How long work waited, over what ended %s: medians and 90th percentiles (by nearest rank), "+
			"each as the [CHAOSS](https://chaoss.community/) metric it follows.\n\n", md.in())
		md.line("| Measure | Measured | Median | 90th percentile | CHAOSS metric |")
		md.line("|---|---:|---:|---:|---|")
		for m, d := range h.Times {
			if d.Count == 0 {
				continue
			}
			info := health.Metrics[m]
			md.printf("| %s | %s | %s | %s | [%s](%s) |\n", info.Name, words.Thousands(d.Count), words.Duration(d.Median),
				words.Duration(d.P90), info.CHAOSS, info.CHAOSSURL)
		}
		md.line("")
	}
	if h.Releases > 0 {
		md.printf("Releases %s: %s.\n\n", md.in(), words.Thousands(h.Releases))
	}
	if len(h.Projects) > 0 && measured {
		md.line("| Project | Time to first review | Time to merge | Time to close | Time to answer | Releases |")
		md.line("|---|---:|---:|---:|---:|---:|")
		for _, p := range h.Projects {
			md.printf("| %s |", escape(p.Project))
			for _, d := range p.Times {
				md.printf(" %s |", medianWords(d))
			}
			md.printf(" %s |\n", words.Thousands(p.Releases))
		}
		md.line("\nEach time is the median, with how many it measures.\n")
	}
	y := h.YearBefore
	before := words.Period(h.yearBefore)
	against := "Against " + before
	if !md.r.Complete {
		against = "Against the same months of " + before
	}
	if y.Credits == 0 {
		md.printf("Credits by kind %s; %s has none to compare with.\n\n", md.in(), before)
		md.line("| Kind | Credits |")
		md.line("|---|---:|")
		for _, k := range h.Kinds {
			md.printf("| %s | %s |\n", escape(words.Kind(k.Kind)), words.Thousands(k.Credits))
		}
		md.line("")
		return
	}
	md.printf("%s: %s (%s), %s (%s).\n\n", against,
		words.Plural(md.r.Totals.Credits, "credit"), words.Change(md.r.Totals.Credits, y.Credits),
		words.Plural(md.r.Totals.Contributors, "contributor"), words.Change(md.r.Totals.Contributors, y.Contributors))
	md.printf("| Kind | Credits | %s | Change |\n", before)
	md.line("|---|---:|---:|---:|")
	for _, k := range h.Kinds {
		md.printf("| %s | %s | %s | %s |\n", escape(words.Kind(k.Kind)), words.Thousands(k.Credits), words.Thousands(k.YearBefore),
			words.Change(k.Credits, k.YearBefore))
	}
	md.line("")
}

// medianWords is a median and its count, "1 day (12)", or "–".
func medianWords(d health.Durations) string {
	if d.Count == 0 {
		return "–"
	}
	return words.Duration(d.Median) + " (" + words.Thousands(d.Count) + ")"
}

// Shown is how every list shows a contributor: by name (AnonymousName for
// an anonymous person, the identity itself for one nobody owns), with a
// public profile or "", and id nil for an anonymous person. ok is false
// for a bot or a hidden person, whom no list shows.
func Shown(b *score.Book, who int32) (id *string, name, profile string, ok bool) {
	c := &b.Contributors[who]
	switch {
	case c.Bot:
		return nil, "", "", false
	case c.Anonymous():
		return nil, AnonymousName, "", true
	case c.Person == nil:
		return &c.ID, c.ID, ProfileURL(b.Index, c.ID), true
	case c.Person.Visibility == "hidden":
		return nil, "", "", false
	}
	return &c.ID, cmp.Or(c.Person.Name, c.ID), ProfileURL(b.Index, c.ID), true
}
