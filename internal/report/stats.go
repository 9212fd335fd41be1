package report

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
)

// builder computes the reports of one book as of one month. A foundation
// ledger has 190 periods with up to tens of thousands of contributors
// each, so the builder first lays each month's tallies out as sorted
// slices (once), sums periods from those with dense per-contributor
// arrays instead of maps, and caches each period's figures, which the
// next period's deltas need again. It is safe for concurrent use: Render
// builds periods on all cores.
type builder struct {
	b    *score.Book
	asOf ledger.Month
	// con holds, per contributor, what reports show and sort by.
	con []contributor
	// ids holds each contributor's id; con points into it. Ids and names
	// are copied next to each other: rendering reads them in a random
	// order, and a few MiB stay in the processor's caches.
	ids []string
	// joins counts the members (people but bots) who joined in a month.
	joins   map[ledger.Month]int
	decline partner.DeclineAlert
	// declineWords is partners.decline_alert as written.
	declineWords string
	// What every report shows of the program: its name, how many rows a
	// table shows, and where its site is.
	program string
	top     int
	site    string // where the site is published, "" when unknown

	kindMu    sync.Mutex
	kindIndex map[string]int32
	kindNames []string

	// measures holds the time metrics and releases of the health sections.
	measures *health.Health

	// byMonth lists the credits of each month, bots' left out, by index.
	byMonth map[ledger.Month][]int32

	mu     sync.Mutex
	months map[ledger.Month]*monthCell
	cache  map[score.Period]*statsCell

	// scratch holds dense per-contributor accumulators, one per goroutine
	// at a time.
	scratch sync.Pool
}

// contributor is a contributor as reports show it.
type contributor struct {
	id   *string // nil for an anonymous person
	name string
	// order is the position of the id in byte order: ties in rank are
	// broken by id, and comparing two ints is cheaper than two strings.
	order  int32
	first  ledger.Month
	hidden bool
	// profile is the contributor's public profile, or "".
	profile string
}

type statsCell struct {
	once sync.Once
	s    *stats
}

type monthCell struct {
	once sync.Once
	m    *monthData
}

func newBuilder(b *score.Book, asOf ledger.Month) *builder {
	n := len(b.Contributors)
	bl := &builder{b: b, asOf: asOf, con: make([]contributor, n), ids: make([]string, n), joins: map[ledger.Month]int{},
		kindIndex: map[string]int32{}, months: map[ledger.Month]*monthCell{}, cache: map[score.Period]*statsCell{}}
	byID := make([]int32, n)
	// Copy every id and name into one string, in two passes: first the
	// bytes, then the strings that slice them.
	var arena strings.Builder
	type span struct{ id, name [2]int }
	spans := make([]span, n)
	add := func(s string) [2]int {
		arena.WriteString(s)
		return [2]int{arena.Len() - len(s), arena.Len()}
	}
	for i := range b.Contributors {
		c := &b.Contributors[i]
		spans[i].id = add(c.ID)
		if c.Person != nil {
			spans[i].name = add(cmp.Or(c.Person.Name, c.ID))
		} else {
			spans[i].name = spans[i].id
		}
	}
	all := arena.String()
	for i := range b.Contributors {
		c := &b.Contributors[i]
		byID[i] = int32(i)
		bc := &bl.con[i]
		sp := spans[i]
		bl.ids[i] = all[sp.id[0]:sp.id[1]]
		bc.id, bc.name, bc.first = &bl.ids[i], all[sp.name[0]:sp.name[1]], c.First.Month()
		bc.profile = ProfileURL(b.Index, c.ID)
		switch {
		case c.Anonymous():
			bc.id, bc.name = nil, AnonymousName
		case c.Person != nil && c.Person.Visibility == "hidden":
			bc.hidden = true
		}
	}
	slices.SortFunc(byID, func(x, y int32) int { return strings.Compare(b.Contributors[x].ID, b.Contributors[y].ID) })
	people := make(map[string]int32, n)
	for order, who := range byID {
		c := &b.Contributors[who]
		bl.con[who].order = int32(order)
		switch {
		case c.Person != nil:
			people[c.ID] = who
		case c.Joined() != 0: // an erased person stays a member
			bl.joins[c.Joined().Month()]++
		}
	}
	for _, p := range b.Ledger.People {
		if p.Bot || b.Index.People[p.ID] != p { // a duplicate id: the checks report it
			continue
		}
		joined := p.Joined
		if who, ok := people[p.ID]; ok && joined == 0 {
			joined = b.Contributors[who].First
		}
		if joined != 0 {
			bl.joins[joined.Month()]++
		}
	}
	bl.decline, bl.declineWords = partner.DeclineAlertOf(ledger.DefaultPartnerRules), ledger.DefaultPartnerRules.DeclineAlert
	bl.program, bl.top = "The community", 10
	if p := b.Ledger.Program; p != nil {
		bl.decline = partner.DeclineAlertOf(p.Partners)
		bl.declineWords = cmp.Or(p.Partners.DeclineAlert, bl.declineWords)
		bl.program = cmp.Or(p.Name, bl.program)
		if p.Reports.Top > 0 {
			bl.top = p.Reports.Top
		}
		bl.site = p.Reports.Site()
	}
	bl.byMonth = map[ledger.Month][]int32{}
	var month ledger.Month
	var list []int32
	for i := range b.Credits {
		if b.Credits[i].Bot {
			continue
		}
		// Credits are mostly filed by month: look the month up only when
		// it changes.
		if m := b.Ledger.Credits[i].Date.Month(); m != month || list == nil {
			bl.byMonth[month] = list
			month, list = m, bl.byMonth[m]
		}
		list = append(list, int32(i))
	}
	if list != nil {
		bl.byMonth[month] = list
	}
	bl.scratch.New = func() any { return newScratch(n) }
	bl.measures = health.New(b)
	return bl
}

// kind numbers a kind of credit.
func (bl *builder) kind(name string) int32 {
	bl.kindMu.Lock()
	defer bl.kindMu.Unlock()
	k, ok := bl.kindIndex[name]
	if !ok {
		k = int32(len(bl.kindNames))
		bl.kindIndex[name] = k
		bl.kindNames = append(bl.kindNames, name)
	}
	return k
}

func (bl *builder) kindName(k int32) string {
	bl.kindMu.Lock()
	defer bl.kindMu.Unlock()
	return bl.kindNames[k]
}

// monthData is one month's tallies as slices sorted for merging.
type monthData struct {
	score, credits int
	members        []member    // by contributor
	kinds          []kindEntry // by kind, then contributor
	orgs, projects []monthGroup
}

type kindEntry struct{ kind, who, score, credits int32 }

type monthGroup struct {
	id, name       string
	score, credits int
	people         []int32 // sorted
}

// month returns a month's data, laying it out the first time.
func (bl *builder) month(m ledger.Month) *monthData {
	bl.mu.Lock()
	c := bl.months[m]
	if c == nil {
		c = &monthCell{}
		bl.months[m] = c
	}
	bl.mu.Unlock()
	c.once.Do(func() { c.m = bl.layOut(m) })
	return c.m
}

// layOut sums a month's credits into sorted slices. It reads the scored
// credits directly, as score's monthly tallies do (bots left out, every
// credit counted, scoring or not), because walking the tallies' maps costs
// several times more; TestMonthsMatchTallies keeps the two in step.
func (bl *builder) layOut(m ledger.Month) *monthData {
	b := bl.b
	credits := bl.byMonth[m]
	d := &monthData{credits: len(credits)}
	sc := bl.getScratch()
	defer bl.scratch.Put(sc)
	sc.reset()
	kindOf := map[string]int32{}
	d.kinds = make([]kindEntry, 0, len(credits))
	orgs, projects := make([]groupEntry, 0, len(credits)), make([]groupEntry, 0, len(credits)/2)
	for _, i := range credits {
		s, c := &b.Credits[i], &b.Ledger.Credits[i]
		who := s.Contributor
		d.score += int(s.Score)
		sc.add(who, s.Score, 1)
		k, ok := kindOf[c.Kind]
		if !ok {
			k = bl.kind(c.Kind)
			kindOf[c.Kind] = k
		}
		d.kinds = append(d.kinds, kindEntry{k, who, s.Score, 1})
		if s.Org != "" {
			orgs = append(orgs, groupEntry{s.Org, who, s.Score})
		}
		if c.Project != "" {
			projects = append(projects, groupEntry{c.Project, who, s.Score})
		}
	}
	slices.Sort(sc.touched)
	d.members = make([]member, len(sc.touched))
	for i, who := range sc.touched {
		d.members[i] = member{who: who, score: sc.score[who], credits: sc.credits[who]}
	}
	slices.SortFunc(d.kinds, func(a, b kindEntry) int { return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.who, b.who)) })
	n := 0
	for _, e := range d.kinds {
		if n > 0 && d.kinds[n-1].kind == e.kind && d.kinds[n-1].who == e.who {
			d.kinds[n-1].score += e.score
			d.kinds[n-1].credits += e.credits
			continue
		}
		d.kinds[n] = e
		n++
	}
	d.kinds = slices.Clip(d.kinds[:n])
	d.orgs, d.projects = monthGroups(orgs, bl.orgName), monthGroups(projects, nil)
	return d
}

// groupEntry is one credit of an organisation or a project.
type groupEntry struct {
	id    string
	who   int32
	score int32
}

// monthGroups sums a month's credits per organisation or project.
func monthGroups(entries []groupEntry, name func(string) string) []monthGroup {
	slices.SortFunc(entries, func(a, b groupEntry) int { return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.who, b.who)) })
	var out []monthGroup
	for i, e := range entries {
		if i == 0 || e.id != entries[i-1].id {
			g := monthGroup{id: e.id, name: e.id}
			if name != nil {
				g.name = name(e.id)
			}
			out = append(out, g)
		}
		g := &out[len(out)-1]
		g.score += int(e.score)
		g.credits++
		if n := len(g.people); n == 0 || g.people[n-1] != e.who {
			g.people = append(g.people, e.who)
		}
	}
	return out
}

// stats is what one period's report, and the next period's deltas, need.
type stats struct {
	period score.Period
	// last is the last month counted: the period's end, or asOf for a
	// period still under way.
	last           ledger.Month
	months         []*monthData // with credits
	score, credits int
	// members holds every contributor but bots with credits, by index.
	members []member
	// listed indexes members in people-list order (rank order).
	listed   []int32
	orgs     []group // in rank order
	orgAt    map[string]int
	projects []group // in rank order
}

// member is a contributor's figures in a period.
type member struct {
	who            int32
	score, credits int32
	// rank in the people list, 0 for a hidden person.
	rank int32
}

// group is an organisation's or a project's figures in a period.
type group struct {
	id, name               string
	score, credits, people int
	rank                   int
}

// member finds a contributor's figures, or nil.
func (s *stats) member(who int32) *member {
	i, ok := slices.BinarySearchFunc(s.members, who, func(m member, w int32) int { return cmp.Compare(m.who, w) })
	if !ok {
		return nil
	}
	return &s.members[i]
}

// stats returns a period's figures, computing them once.
func (bl *builder) stats(p score.Period) *stats {
	bl.mu.Lock()
	c := bl.cache[p]
	if c == nil {
		c = &statsCell{}
		bl.cache[p] = c
	}
	bl.mu.Unlock()
	c.once.Do(func() { c.s = bl.compute(p) })
	return c.s
}

// scratch sums per contributor without a map: a contributor's slot is
// live when its stamp is the current generation.
type scratch struct {
	gen            int32
	stamp          []int32
	score, credits []int32
	touched        []int32
}

func newScratch(n int) *scratch {
	return &scratch{stamp: make([]int32, n), score: make([]int32, n), credits: make([]int32, n)}
}

// reset starts a new sum.
func (sc *scratch) reset() {
	sc.gen++
	sc.touched = sc.touched[:0]
}

func (sc *scratch) add(who, score, credits int32) {
	if sc.stamp[who] != sc.gen {
		sc.stamp[who], sc.score[who], sc.credits[who] = sc.gen, 0, 0
		sc.touched = append(sc.touched, who)
	}
	sc.score[who] += score
	sc.credits[who] += credits
}

func (sc *scratch) has(who int32) bool { return sc.stamp[who] == sc.gen }

func (bl *builder) getScratch() *scratch { return bl.scratch.Get().(*scratch) }

func (bl *builder) compute(p score.Period) *stats {
	s := &stats{period: p, last: min(p.End(), bl.asOf), orgAt: map[string]int{}}
	for m := p.Start; m <= s.last; m++ {
		if d := bl.month(m); d.credits > 0 {
			s.months = append(s.months, d)
			s.score += d.score
			s.credits += d.credits
		}
	}
	switch len(s.months) {
	case 0:
	case 1:
		s.members = slices.Clone(s.months[0].members)
	default:
		sc := bl.getScratch()
		sc.reset()
		for _, d := range s.months {
			for _, m := range d.members {
				sc.add(m.who, m.score, m.credits)
			}
		}
		slices.Sort(sc.touched)
		s.members = make([]member, len(sc.touched))
		for i, who := range sc.touched {
			s.members[i] = member{who: who, score: sc.score[who], credits: sc.credits[who]}
		}
		bl.scratch.Put(sc)
	}
	// The people list: score.Rank's order (score, credits, id), with the
	// id compared through its precomputed order.
	keys := make([]sortKey, 0, len(s.members))
	for i, m := range s.members {
		if c := &bl.con[m.who]; !c.hidden {
			keys = append(keys, sortKey{m.score, m.credits, c.order, int32(i)})
		}
	}
	sc := bl.getScratch()
	bl.sortKeys(keys, sc)
	bl.scratch.Put(sc)
	s.listed = make([]int32, len(keys))
	for rank, k := range keys {
		s.listed[rank] = k.index
		s.members[k.index].rank = int32(rank + 1)
	}
	s.orgs = mergeGroups(s.months, func(d *monthData) []monthGroup { return d.orgs })
	for i, g := range s.orgs {
		s.orgAt[g.id] = i
	}
	s.projects = mergeGroups(s.months, func(d *monthData) []monthGroup { return d.projects })
	return s
}

// mergeGroups sums organisations or projects over months, counting each
// person once, and ranks them with score.Rank.
func mergeGroups(months []*monthData, of func(*monthData) []monthGroup) []group {
	// Size everything first: a foundation's year merges 24,000 monthly
	// entries of 2,000 organisations.
	index := map[string]int{}
	npairs := 0
	for _, d := range months {
		for _, g := range of(d) {
			if _, ok := index[g.id]; !ok {
				index[g.id] = len(index)
			}
			npairs += len(g.people)
		}
	}
	sums := make([]group, len(index))
	var pairs []uint64 // group index << 32 | contributor
	if len(months) > 1 {
		pairs = make([]uint64, 0, npairs)
	}
	for _, d := range months {
		for _, g := range of(d) {
			i := index[g.id]
			sums[i].id, sums[i].name = g.id, g.name
			sums[i].score += g.score
			sums[i].credits += g.credits
			if len(months) == 1 {
				sums[i].people = len(g.people)
				continue
			}
			for _, who := range g.people {
				pairs = append(pairs, uint64(i)<<32|uint64(uint32(who)))
			}
		}
	}
	slices.Sort(pairs)
	for _, pr := range slices.Compact(pairs) {
		sums[pr>>32].people++
	}
	entries := make([]score.Ranked, len(sums))
	for i, g := range sums {
		entries[i] = score.Ranked{Key: g.id, Score: g.score, Credits: g.credits}
	}
	score.Rank(entries)
	out := make([]group, len(entries))
	for i, e := range entries {
		out[i] = sums[index[e.Key]]
		out[i].rank = e.Rank
	}
	return out
}
