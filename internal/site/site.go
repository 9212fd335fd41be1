// Package site is the partners directory: a static web site generated from
// the ledger, with a listing of the partners in the month's order (the
// featured ones first), a page per partner with its logo and its activity
// drawn as SVG, the shout-out of every month, the program's rules,
// partners.json, an embeddable badge per partner, and the featured
// partners to embed in the project's own home page. It renders a plain Input model, so that
// who is a partner, in which order and in which standing is decided
// elsewhere; the pages only show it.
package site

import (
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
)

// Input is everything the site shows.
type Input struct {
	// Program gives the program's name and the rules page.
	Program *ledger.Program
	// Thresholds, when there are any, let the rules page say what the
	// minimum payment is.
	Thresholds *ledger.Thresholds
	// AsOf is the month the directory ranks partners by.
	AsOf ledger.Month
	// Partners are in directory order.
	Partners []Partner
	// ShoutOut is the report of AsOf; nil when there is none.
	ShoutOut *report.Report
	// ShoutOuts are the reports of every month with credits up to AsOf,
	// the earliest first (ShoutOut is the last of them), each with the
	// rows the site shows.
	ShoutOuts []*report.Report
	// Profiles maps a person or identity id of the shout-out to the public
	// profile its name links to. Anonymous and hidden people have none.
	Profiles map[string]string
	// Rules are the rules in force at the end of AsOf, as the reports show
	// them: the leadership and the scoring; nil without a program.
	Rules *report.Rules
	// Health is what the community health pages show; nil for none yet.
	Health *HealthInput
}

// PartnerEntry is one partner's place in the directory.
type PartnerEntry struct {
	ID       string
	Rank     int
	Featured bool
	// Since is the date the partnership began.
	Since ledger.Date
	// Standing is good, warning or lapsed.
	Standing string
	// Tier is the tier's name, or "" when the program has none.
	Tier string
	// Roadmap holds the partner's roadmap submissions, the earliest first;
	// RoadmapLeft is how many more it may submit in AsOf's year.
	Roadmap     []*ledger.RoadmapItem
	RoadmapLeft int
}

// Standings a partner can be in.
const (
	Good    = "good"
	Warning = "warning"
	Lapsed  = "lapsed"
)

// Partner is one listed partner and what its page shows.
type Partner struct {
	PartnerEntry
	Org *ledger.Organization
	// Logo is the organisation's logo; nil when it has none, and the site
	// draws its initials.
	Logo *ledger.Logo
	// Scores holds the organisation's monthly scores; months missing from
	// it scored nothing. The pages draw the twelve months up to AsOf.
	Scores map[ledger.Month]int
	// Active lists the visible people who contributed for the
	// organisation in AsOf, in the order shown.
	Active []Person
}

// Person is someone shown by name.
type Person struct {
	// Name is the display name, or report.AnonymousName.
	Name string
	// Profile is a public profile address, or "".
	Profile string
}
