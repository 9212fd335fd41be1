package check

import (
	"fmt"
	"sort"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkRoadmap(c *checker) {
	quota := ledger.DefaultPartnerRules.RoadmapPerYear
	if c.l.Program != nil {
		quota = c.l.Program.Partners.RoadmapPerYear
	}
	items := append([]*ledger.RoadmapItem(nil), c.l.Roadmap...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Submitted < items[j].Submitted })
	used := map[string]int{} // org/year -> submissions so far
	for _, r := range items {
		o := c.ix.Orgs[r.Org]
		if o == nil || r.Submitted == 0 {
			continue // the reference rule reports unknown organisations
		}
		if !c.ix.PartnerOn(o.ID, r.Submitted) {
			why := ""
			if o.Ended != 0 && o.Ended <= r.Submitted {
				why = fmt.Sprintf(" (its partnership ended %s)", o.Ended)
			}
			c.report(r.File, r.SubmittedPos, "submitted", "%s is not a partner on %s%s; only partners submit roadmap features", r.Org, r.Submitted, why)
			continue
		}
		key := fmt.Sprintf("%s/%d", r.Org, r.Submitted.Year())
		used[key]++
		if used[key] > quota {
			c.report(r.File, r.SubmittedPos, "submitted", "%s has already submitted %d roadmap features in %d, the most partners.roadmap_per_year allows",
				r.Org, quota, r.Submitted.Year())
		}
	}
}
