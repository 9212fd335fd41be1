package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// PeriodChange is how one period's rankings move.
type PeriodChange struct {
	// Period is 2026-10, 2026-Q4 or 2026; Span monthly, quarterly or annual.
	Period   string `json:"period"`
	Span     string `json:"span"`
	Previous string `json:"previous"`
	// People and Organizations list those who move, by rank after the
	// change (those who leave the ranking last).
	People        []Move `json:"people"`
	Organizations []Move `json:"organizations"`
}

// Move is how one person or organisation moves in a period. A row is
// listed when its score, number of credits or rank changes, or, when the
// previous period moves too, its change since that period.
type Move struct {
	// ID is empty for an anonymous person, whose Name is "Anonymous
	// contributor".
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Score   Ints   `json:"score"`
	Credits Ints   `json:"credits"`
	// Rank is null where unranked (no credits in the period).
	Rank Ranks `json:"rank"`
	// DeltaScore and DeltaRank are the changes since the previous period
	// (as the reports show them: delta_rank is null for someone unranked
	// then), given when the previous period is compared too (in the
	// period after a changed one, or in a full comparison).
	DeltaScore *Ranks `json:"delta_score,omitempty"`
	DeltaRank  *Ranks `json:"delta_rank,omitempty"`
	// sinceMoves is set when the change since the previous period moves
	// for more than this period's own moves: the previous period moved too.
	sinceMoves bool
}

// Ints is a number before and after the change.
type Ints struct {
	Before int `json:"before"`
	After  int `json:"after"`
}

// Ranks is a number before and after the change that may be absent (null).
type Ranks struct {
	Before *int `json:"before"`
	After  *int `json:"after"`
}

func (r Ranks) same() bool {
	if r.Before == nil || r.After == nil {
		return r.Before == nil && r.After == nil
	}
	return *r.Before == *r.After
}

const anonymous = "Anonymous contributor"

// roster numbers the contributors of both revisions, across the parts
// each was scored in, by the key that matches them: a person's id, or an
// identity nobody owns, whose case may differ between parts, not its
// meaning. A foundation's year ranks a hundred thousand people, so
// standings hold them in slices by roster number rather than in maps.
type roster struct {
	byKey map[string]int32
	// ids are the ids ranks are ordered by: a person's id, or an identity
	// as first written.
	ids []string
	// byID is each roster number's place among ids in byte order: ranks
	// compare two ints where they would compare two strings.
	byID []int32
	// who is the contributor on each side (before, after), nil where absent.
	who [2][]*score.Contributor
	// numbers maps each book's contributors to roster numbers.
	numbers map[*score.Book][]int32
	// orgs numbers the organisations credits count for.
	orgs   map[string]int32
	orgIDs []string
}

func newRoster(parts [2][]*score.Book) *roster {
	r := &roster{byKey: map[string]int32{}, numbers: map[*score.Book][]int32{}, orgs: map[string]int32{}}
	for side, books := range parts {
		for _, b := range books {
			nums, seen := r.numbers[b]
			if !seen {
				nums = make([]int32, len(b.Contributors))
			}
			for i := range b.Contributors {
				c := &b.Contributors[i]
				if !seen {
					k := key(c)
					n, ok := r.byKey[k]
					if !ok {
						n = int32(len(r.ids))
						r.byKey[k] = n
						r.ids = append(r.ids, c.ID)
						r.who[0], r.who[1] = append(r.who[0], nil), append(r.who[1], nil)
					}
					nums[i] = n
				}
				if n := nums[i]; r.who[side][n] == nil {
					r.who[side][n] = c
				}
			}
			r.numbers[b] = nums
		}
	}
	sorted := make([]int32, len(r.ids))
	for i := range sorted {
		sorted[i] = int32(i)
	}
	slices.SortFunc(sorted, func(x, y int32) int { return cmp.Or(strings.Compare(r.ids[x], r.ids[y]), cmp.Compare(x, y)) })
	r.byID = make([]int32, len(sorted))
	for place, n := range sorted {
		r.byID[n] = int32(place)
	}
	return r
}

func key(c *score.Contributor) string {
	if c.Person != nil {
		return c.Person.ID
	}
	return strings.ToLower(c.ID)
}

// display is how a contributor appears: anonymous people without their id.
func (r *roster) display(n int32) (id, name string) {
	c := r.who[1][n]
	if c == nil {
		c = r.who[0][n]
	}
	switch {
	case c.Anonymous():
		return "", anonymous
	case c.Person == nil:
		return c.ID, c.ID
	}
	return c.ID, cmp.Or(c.Person.Name, c.ID)
}

// credit is a scored credit as a ranking needs it.
type credit struct {
	who, score int32
	org        int32 // -1 for none
}

// side is one revision's scored credits, by month, as rankings need them:
// a full comparison of a foundation's ledger ranks hundreds of periods,
// each summed from its months without keeping them all.
type side struct {
	months map[ledger.Month][]credit
}

// newSides buckets both revisions' credits by month; a part both share is
// bucketed once.
func newSides(r *roster, parts [2][]*score.Book) [2]*side {
	done := map[*score.Book]map[ledger.Month][]credit{}
	var sides [2]*side
	for k, books := range parts {
		sides[k] = &side{months: map[ledger.Month][]credit{}}
		for _, b := range books {
			months, ok := done[b]
			if !ok {
				months = r.bucket(b)
				done[b] = months
			}
			for m, cs := range months {
				sides[k].months[m] = append(sides[k].months[m], cs...)
			}
		}
	}
	return sides
}

// bucket sorts a book's credits by month, as score's tallies count them:
// bots' credits left out.
func (r *roster) bucket(b *score.Book) map[ledger.Month][]credit {
	nums := r.numbers[b]
	months := map[ledger.Month][]credit{}
	month, list := ledger.Month(-1), []credit(nil)
	for i := range b.Credits {
		s := &b.Credits[i]
		if s.Bot {
			continue
		}
		if m := b.Ledger.Credits[i].Date.Month(); m != month {
			months[month] = list
			month, list = m, months[m]
		}
		list = append(list, credit{who: nums[s.Contributor], score: s.Score, org: r.org(s.Org)})
	}
	months[month] = list
	delete(months, -1)
	return months
}

// org numbers an organisation; -1 for none.
func (r *roster) org(id string) int32 {
	if id == "" {
		return -1
	}
	n, ok := r.orgs[id]
	if !ok {
		n = int32(len(r.orgIDs))
		r.orgs[id] = n
		r.orgIDs = append(r.orgIDs, id)
	}
	return n
}

// standings are a period's sums and ranks on one side.
type standings struct {
	// score, credits and rank by roster number; rank 0 is unranked (no
	// credits, a bot or a hidden person).
	score, credits, rank []int32
	// ranked lists the roster numbers with credits.
	ranked []int32
	orgs   map[int32]standing
}

// standing is where someone is in a period's ranking; rank 0 is absent.
type standing struct {
	score, credits, rank int
}

// rank sums and ranks a period as the reports do. People are the
// contributors who are not bots nor hidden people; ranks go by score, then
// credits, then id, as score.Rank orders them.
func (sd *side) rank(r *roster, k int, p score.Period) *standings {
	n := len(r.ids)
	st := &standings{score: make([]int32, n), credits: make([]int32, n), rank: make([]int32, n), orgs: map[int32]standing{}}
	for m := p.Start; m <= p.End(); m++ {
		for _, c := range sd.months[m] {
			if st.credits[c.who] == 0 {
				st.ranked = append(st.ranked, c.who)
			}
			st.score[c.who] += c.score
			st.credits[c.who]++
			if c.org >= 0 {
				o := st.orgs[c.org]
				o.score += int(c.score)
				o.credits++
				st.orgs[c.org] = o
			}
		}
	}
	order := make([]int32, 0, len(st.ranked))
	for _, who := range st.ranked {
		if shown(r.who[k][who]) {
			order = append(order, who)
		}
	}
	// score.Rank's order: score, then credits, highest first, then id.
	slices.SortFunc(order, func(x, y int32) int {
		return cmp.Or(cmp.Compare(st.score[y], st.score[x]), cmp.Compare(st.credits[y], st.credits[x]), cmp.Compare(r.byID[x], r.byID[y]))
	})
	for i, who := range order {
		st.rank[who] = int32(i + 1)
	}
	entries := make([]score.Ranked, 0, len(st.orgs))
	for id, o := range st.orgs {
		entries = append(entries, score.Ranked{Key: r.orgIDs[id], Score: o.score, Credits: o.credits})
	}
	for _, e := range score.Rank(entries) {
		id := r.orgs[e.Key]
		o := st.orgs[id]
		o.rank = e.Rank
		st.orgs[id] = o
	}
	return st
}

// shown tells whether a contributor is in the people rankings.
func shown(c *score.Contributor) bool {
	return c != nil && !c.Bot && (c.Person == nil || c.Person.Visibility != "hidden")
}

func (st *standings) person(who int32) standing {
	if st == nil {
		return standing{}
	}
	return standing{score: int(st.score[who]), credits: int(st.credits[who]), rank: int(st.rank[who])}
}

func (st *standings) org(id int32) standing {
	if st == nil {
		return standing{}
	}
	return st.orgs[id]
}

// comparison ranks both sides period by period, keeping only the periods
// still needed as a later one's previous.
type comparison struct {
	r     *roster
	sides [2]*side
	// same tells a period that ranks the same on both sides (no month of
	// it changed), ranked once.
	same func(score.Period) bool
	// names finds organisations' names, after the change first.
	names [2]*ledger.Index
	kept  map[score.Period][2]*standings
}

// standings ranks a period on both sides.
func (c *comparison) standings(p score.Period) [2]*standings {
	if st, ok := c.kept[p]; ok {
		return st
	}
	var st [2]*standings
	if c.same(p) {
		st[0] = c.sides[0].rank(c.r, 0, p)
		st[1] = st[0]
	} else {
		parallel(func() { st[0] = c.sides[0].rank(c.r, 0, p) }, func() { st[1] = c.sides[1].rank(c.r, 1, p) })
	}
	// Periods come in order, span by span: only the latest of a span can
	// be the previous of one to come.
	for q := range c.kept {
		if q.Span == p.Span {
			delete(c.kept, q)
		}
	}
	c.kept[p] = st
	return st
}

// period lists who moves in a period; since tells whether to compare the
// change since the previous period too.
func (c *comparison) period(p score.Period, since bool) (people, orgs []Move) {
	var prev [2]*standings
	if since {
		prev = c.standings(p.Previous())
	}
	now := c.standings(p)
	sb, sa := now[0], now[1]
	add := func(who int32) {
		b, a := sb.person(who), sa.person(who)
		if b.rank == 0 && a.rank == 0 {
			return
		}
		var was *[2]standing
		if since {
			was = &[2]standing{prev[0].person(who), prev[1].person(who)}
		}
		if m, ok := move(b, a, was); ok {
			m.ID, m.Name = c.r.display(who)
			people = append(people, m)
		}
	}
	for _, who := range sb.ranked {
		add(who)
	}
	for _, who := range sa.ranked {
		if sb.credits[who] == 0 {
			add(who)
		}
	}
	ids := map[int32]bool{}
	for id := range sb.orgs {
		ids[id] = true
	}
	for id := range sa.orgs {
		ids[id] = true
	}
	for id := range ids {
		var was *[2]standing
		if since {
			was = &[2]standing{prev[0].org(id), prev[1].org(id)}
		}
		if m, ok := move(sb.org(id), sa.org(id), was); ok {
			m.ID, m.Name = c.r.orgIDs[id], c.r.orgIDs[id]
			for _, ix := range []*ledger.Index{c.names[1], c.names[0]} {
				if o := ix.Orgs[m.ID]; o != nil && o.Name != "" {
					m.Name = o.Name
					break
				}
			}
			orgs = append(orgs, m)
		}
	}
	sortMoves(people)
	sortMoves(orgs)
	return people, orgs
}

// move compares someone's standing before and after, and, when prev is
// given, their change since the previous period; ok is false when nothing
// moves.
func move(b, a standing, prev *[2]standing) (m Move, ok bool) {
	m = Move{
		Score:   Ints{b.score, a.score},
		Credits: Ints{b.credits, a.credits},
		Rank:    Ranks{optional(b.rank), optional(a.rank)},
	}
	changed := b.score != a.score || b.credits != a.credits || !m.Rank.same()
	if prev != nil {
		db, da := delta(b, prev[0]), delta(a, prev[1])
		m.DeltaScore = &Ranks{db.score, da.score}
		m.DeltaRank = &Ranks{db.rank, da.rank}
		deltaMoves := !m.DeltaScore.same() || !m.DeltaRank.same()
		m.sinceMoves = deltaMoves && prev[0] != prev[1]
		changed = changed || deltaMoves
	}
	return m, changed
}

func sortMoves(ms []Move) {
	slices.SortFunc(ms, func(x, y Move) int {
		return cmp.Or(compareRank(x.Rank.After, y.Rank.After), compareRank(x.Rank.Before, y.Rank.Before), strings.Compare(x.ID, y.ID))
	})
}

type deltas struct{ score, rank *int }

// delta is the change since the previous period of someone ranked now:
// score minus the previous score (0 before), and previous rank minus rank
// (absent when unranked before).
func delta(now, prev standing) deltas {
	if now.rank == 0 {
		return deltas{}
	}
	d := deltas{score: optionalInt(now.score - prev.score)}
	if prev.rank > 0 {
		d.rank = optionalInt(prev.rank - now.rank)
	}
	return d
}

// compareRank orders ranks with the unranked last.
func compareRank(a, b *int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return *a - *b
}

func optional(rank int) *int {
	if rank == 0 {
		return nil
	}
	return &rank
}

func optionalInt(n int) *int { return &n }
