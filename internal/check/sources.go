package check

import (
	"maps"
	"slices"
	"strings"
)

// checkSources checks program.yaml's sources against the rest of the
// program (the schema checks their names and settings): each source's kind
// is one the latest scoring period defines, since ingestion skips credits
// of a kind not defined on their date; and no feed is listed twice.
func checkSources(c *checker) {
	p := c.l.Program
	if p == nil || len(p.Scoring) == 0 {
		return
	}
	latest := p.Scoring[0]
	for _, sp := range p.Scoring {
		if sp.From > latest.From {
			latest = sp
		}
	}
	known := slices.Sorted(maps.Keys(latest.Kinds))
	feeds := map[string]bool{}
	for _, s := range p.Sources {
		if kind, ok := s.Get("kind"); ok && !kind.IsList && kind.Value != "" {
			if _, defined := latest.Kinds[kind.Value]; !defined {
				hint := didYouMean(kind.Value, known)
				if hint == "" {
					hint = "; add it to the period's kinds or use one of " + strings.Join(known, ", ")
				}
				c.report(p.File, kind.Pos, "sources."+s.Source+".kind",
					"kind %q of source %s is not defined in the latest scoring period (from %s), so its credits would be skipped%s",
					kind.Value, s.Source, latest.From, hint)
			}
		}
		if u, ok := s.Get("url"); ok && s.Source == "feeds" {
			if feeds[u.Value] {
				c.report(p.File, u.Pos, "sources.feeds.url", "feed %s is listed twice; keep one entry", u.Value)
			}
			feeds[u.Value] = true
		}
	}
}
