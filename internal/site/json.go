package site

import (
	"encoding/json"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
)

// directoryJSON is partners.json: the directory for scripts and for
// partners' own sites.
type directoryJSON struct {
	Program  string        `json:"program"`
	AsOf     string        `json:"as_of"`
	Partners []partnerJSON `json:"partners"`
}

type partnerJSON struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Rank      int      `json:"rank"`
	Featured  bool     `json:"featured"`
	Since     *string  `json:"since"`
	Standing  string   `json:"standing"`
	Tier      *string  `json:"tier"`
	Website   string   `json:"website"`
	Summary   string   `json:"summary"`
	Country   string   `json:"country"`
	Services  []string `json:"services"`
	Offerings []string `json:"offerings"`
	Languages []string `json:"languages"`
	Regions   []string `json:"regions"`
	// Score is the score of the month the directory ranks by.
	Score int    `json:"score"`
	Page  string `json:"page"`
	Badge string `json:"badge"`
	// Logo is the organisation's logo, or its initials drawn when it has
	// none.
	Logo        string               `json:"logo"`
	Roadmap     []report.RoadmapJSON `json:"roadmap"`
	RoadmapLeft int                  `json:"roadmap_left"`
}

// partnersJSON lists the partners in directory order, as written in their
// organisation files (codes, not display names), with where their page and
// badge are.
func (s *site) partnersJSON() []byte {
	d := directoryJSON{Program: s.program, AsOf: s.in.AsOf.String(), Partners: []partnerJSON{}}
	for _, p := range s.in.Partners {
		o := p.Org
		j := partnerJSON{ID: p.ID, Name: o.Name, Rank: p.Rank, Featured: p.Featured, Standing: p.Standing,
			Website: o.Website, Summary: o.Summary, Country: o.Country,
			Services: orEmpty(o.Services), Offerings: orEmpty(o.Offerings), Languages: orEmpty(o.Languages), Regions: orEmpty(o.Regions),
			Score: p.Scores[s.in.AsOf], Page: s.address(PartnerPath(p.ID)), Badge: s.address("badges/" + p.ID + ".svg"),
			Since: dateOrNull(p.Since), Tier: stringOrNull(p.Tier), Logo: s.address(LogoPath(p.ID, p.Logo)),
			Roadmap: report.Roadmap(p.Roadmap), RoadmapLeft: p.RoadmapLeft}
		d.Partners = append(d.Partners, j)
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic(err) // plain strings, numbers and lists always marshal
	}
	return append(out, '\n')
}

func dateOrNull(d ledger.Date) *string {
	if d == 0 {
		return nil
	}
	s := d.String()
	return &s
}

func stringOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
