// Package score applies the program's scoring rules to a loaded ledger:
// who each credit belongs to, what it scores (weights of its period, monthly
// caps per person and kind, bots), which organisation it counts for, and
// the monthly tallies every report is built from. Everything here is a
// pure function of the ledger.
package score

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/tallyledger/tally/internal/ledger"
)

// Attribution says why a credit counts for an organisation.
type Attribution uint8

const (
	NoOrg       Attribution = iota // the contributor had no affiliation that day
	Explicit                       // the credit names its org
	Affiliation                    // the contributor's affiliation on the credit's date
)

func (a Attribution) String() string {
	return [...]string{"none", "explicit", "affiliation"}[a]
}

// Scored is what the rules make of one credit. Book.Credits[i] belongs to
// Ledger.Credits[i].
type Scored struct {
	// Contributor indexes Book.Contributors.
	Contributor int32
	// Weight is what the scoring period of the date gives the credit: its
	// kind's weight, or that of the first of its rules that matches. Score
	// is the weight, or 0 for a bot's credit or one past the kind's monthly
	// cap, or what is left of the period's monthly points cap. Both fit: a
	// valid ledger's weights add up to at most MaxTotal.
	Weight, Score int32
	// Capped is set when the kind's monthly cap zeroed the credit.
	Capped bool
	// Bot is set when the contributor is a bot: the credit counts nowhere.
	Bot bool
	Org string
	By  Attribution
	// PointsCapped is set when the monthly points cap lowered the score.
	PointsCapped bool
}

// MaxTotal is the most that all the credits of a ledger may score
// together; validation reports a ledger past it (rule score-total). Every
// sum of scores (a person's, an organisation's, a period's) is at most
// that total, so none overflows, not even in the int32 that reports rank
// by. A credit weighs at most 10,000 (the schema's bound of 1000 on a
// weight, times its bound of 10 on a rule's weight_factor), so only a
// ledger of over two hundred thousand credits at that weight gets there.
const MaxTotal = math.MaxInt32

// Contributor is a person, or an identity nobody owns, who has credits.
type Contributor struct {
	// ID is the person's id, or the identity as first written
	// ("github:drive-by").
	ID     string
	Person *ledger.Person // nil for an identity nobody owns
	Bot    bool
	// First and Last are the dates of the first and last credits.
	First, Last ledger.Date
	// Active lists the months with credits, in order.
	Active []ledger.Month
}

// Anonymous tells whether reports show the contributor without a name or
// an id: a person with visibility anonymous, or an erased person (an
// anonymous: identity, see tally forget).
func (c *Contributor) Anonymous() bool {
	if c.Person != nil {
		return c.Person.Visibility == "anonymous"
	}
	return ledger.IsAnonymous(c.ID)
}

// Joined is when a person became a member: their joined date, else their
// first credit; for an erased person, their first credit. Other identities
// nobody owns are not members.
func (c *Contributor) Joined() ledger.Date {
	if c.Person == nil {
		if ledger.IsAnonymous(c.ID) {
			return c.First
		}
		return 0
	}
	if c.Person.Joined != 0 {
		return c.Person.Joined
	}
	return c.First
}

// ActiveIn tells whether the contributor has credits in a month.
func (c *Contributor) ActiveIn(m ledger.Month) bool {
	_, found := slices.BinarySearch(c.Active, m)
	return found
}

// Book is a scored ledger.
type Book struct {
	Ledger       *ledger.Ledger
	Index        *ledger.Index
	Weights      *Weights
	Credits      []Scored
	Contributors []Contributor
	// Months lists the months with credits from people who are not bots.
	Months []ledger.Month
	months map[ledger.Month]*monthly
	// order lists credit indexes by date, then id.
	order []int32
}

// New scores a ledger. The ledger should be valid (tally validate clean):
// credits whose kind is unknown score 0.
func New(l *ledger.Ledger) *Book { return NewWithIndex(l, ledger.NewIndex(l)) }

// NewWithIndex scores a ledger with an index built before from the same
// people, organisations and applications: for scoring parts of a ledger
// (the credits of some months each) without indexing its people for each.
func NewWithIndex(l *ledger.Ledger, ix *ledger.Index) *Book {
	b := &Book{Ledger: l, Index: ix, Weights: NewWeights(l.Program), Credits: make([]Scored, len(l.Credits)), months: map[ledger.Month]*monthly{}}
	// Ordering the credits needs only their dates and ids: it runs on
	// another core while they are resolved.
	ordered := make(chan struct{})
	go func() {
		defer close(ordered)
		b.order = byDateAndID(l.Credits)
	}()
	b.resolve()
	<-ordered
	b.weigh()
	b.tally()
	return b
}

// resolve assigns each credit to its contributor and organisation. A
// contributor writes the same "who" on many credits: each distinct one is
// resolved once. A large ledger is resolved in parts on all cores, each
// numbering its own contributors; the parts' numbers are then mapped to
// the book's, which number contributors in the order of their first
// credit, as resolving all credits in one pass would.
func (b *Book) resolve() {
	credits := b.Ledger.Credits
	n := max(1, min(maxParts(0), len(credits)/minPart))
	parts := make([]part, n)
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := k*len(credits)/n, (k+1)*len(credits)/n
		wg.Go(func() { parts[k].resolve(b.Index, credits[lo:hi], b.Credits[lo:hi], len(b.Index.People)) })
	}
	wg.Wait()
	if n == 1 {
		b.Contributors = parts[0].contributors
		return
	}
	total := 0
	for k := range parts {
		total += len(parts[k].contributors)
	}
	byKey := make(map[string]int32, total)
	b.Contributors = make([]Contributor, 0, total)
	for k := range parts {
		pt := &parts[k]
		pt.book = make([]int32, len(pt.contributors))
		for j := range pt.contributors {
			pc := &pt.contributors[j]
			id, seen := byKey[pt.keys[j]]
			if !seen {
				id = int32(len(b.Contributors))
				byKey[pt.keys[j]] = id
				b.Contributors = append(b.Contributors, *pc)
			} else {
				con := &b.Contributors[id]
				con.First, con.Last = min(con.First, pc.First), max(con.Last, pc.Last)
			}
			pt.book[j] = id
		}
	}
	for k := range parts {
		lo, hi := k*len(credits)/n, (k+1)*len(credits)/n
		wg.Go(func() {
			book := parts[k].book
			for i := range b.Credits[lo:hi] {
				s := &b.Credits[lo+i]
				s.Contributor = book[s.Contributor]
				s.Bot = b.Contributors[s.Contributor].Bot
			}
		})
	}
	wg.Wait()
}

// Resolving in parts: at most one part per core, each of at least
// minPart credits (variables for tests).
var (
	minPart  = 50000
	maxParts = runtime.GOMAXPROCS
)

// part is a run of credits resolved on its own: its contributors, by its
// own numbers, with the keys that match them across parts (a person's id,
// or an identity nobody owns in lower case), and, once matched, the book's
// number of each.
type part struct {
	contributors []Contributor
	keys         []string
	book         []int32
}

// resolve numbers the contributors of some credits and sets each scored
// credit's contributor (by the part's numbers), bot flag and organisation.
// The number of people sizes its maps: each part meets most of them.
func (pt *part) resolve(ix *ledger.Index, credits []ledger.Credit, scored []Scored, people int) {
	type resolved struct {
		id     int32
		person *ledger.Person
	}
	// Most contributors write one or two "who"s; growing these maps
	// from empty would cost more than filling them.
	size := min(len(credits), 2*people+64)
	byKey := make(map[string]int32, size/2)
	byWho := make(map[string]resolved, size)
	pt.contributors, pt.keys = make([]Contributor, 0, size/2), make([]string, 0, size/2)
	for i := range credits {
		c := &credits[i]
		r, known := byWho[c.Who]
		if !known {
			p := ix.Resolve(c.Who)
			key := strings.ToLower(c.Who)
			if p != nil {
				key = p.ID
			}
			id, seen := byKey[key]
			if !seen {
				id = int32(len(pt.contributors))
				byKey[key] = id
				name := c.Who
				if p != nil {
					name = p.ID
				}
				pt.contributors = append(pt.contributors, Contributor{ID: name, Person: p, Bot: p != nil && p.Bot, First: c.Date, Last: c.Date})
				pt.keys = append(pt.keys, key)
			}
			r = resolved{id, p}
			byWho[c.Who] = r
		}
		id, p := r.id, r.person
		con := &pt.contributors[id]
		con.First, con.Last = min(con.First, c.Date), max(con.Last, c.Date)
		s := &scored[i]
		s.Contributor, s.Bot = id, con.Bot
		switch {
		case c.Org != "":
			s.Org, s.By = c.Org, Explicit
		case p != nil:
			if org := p.AffiliationOn(c.Date); org != "" {
				s.Org, s.By = org, Affiliation
			}
		}
	}
}

// weigh gives each credit the weight of its scoring period (its kind's,
// or its first matching rule's) and applies the monthly caps, earliest
// credits first (in b.order: by date, then id): a kind's cap counts the
// credits that would score, and the points cap what they scored.
func (b *Book) weigh() {
	credits, order := b.Ledger.Credits, b.order
	type capKey struct {
		contributor int32
		kind        string
	}
	var month ledger.Month
	used := map[capKey]int{}
	points := map[int32]int{} // scored this month, where a points cap applies
	program := b.Ledger.Program
	for _, i := range order {
		c, s := &credits[i], &b.Credits[i]
		if m := c.Date.Month(); m != month {
			month = m
			clear(used)
			clear(points)
		}
		sp := program.PeriodOn(c.Date)
		if sp == nil {
			continue
		}
		kind, ok := sp.Kinds[c.Kind]
		if !ok {
			continue
		}
		weight := kind.Weight
		if len(sp.Rules) > 0 {
			weight = b.Weights.sets[sp].judge(c, weight, false).Weight
		}
		s.Weight = int32(weight)
		if s.Bot || weight == 0 {
			continue
		}
		if kind.Cap > 0 {
			k := capKey{s.Contributor, c.Kind}
			used[k]++
			if used[k] > kind.Cap {
				s.Capped = true
				continue
			}
		}
		if sp.PointsCap > 0 {
			left := max(0, sp.PointsCap-points[s.Contributor])
			if weight > left {
				weight, s.PointsCapped = left, true
			}
			points[s.Contributor] += weight
		}
		s.Score = int32(weight)
	}
}

// byDateAndID lists credit indexes by date, then id, then index (two
// credits share an id only in a ledger with findings). A million credits
// fall on a few thousand days: they are counted into their days first,
// and only each day's few hundred are sorted by id, which costs a third of
// sorting them all.
func byDateAndID(credits []ledger.Credit) []int32 {
	order := make([]int32, len(credits))
	byID := func(x, y int32) int {
		return cmp.Or(strings.Compare(credits[x].ID, credits[y].ID), cmp.Compare(x, y))
	}
	if len(credits) == 0 {
		return order
	}
	lo, hi := credits[0].Date, credits[0].Date
	for i := range credits {
		lo, hi = min(lo, credits[i].Date), max(hi, credits[i].Date)
	}
	// Dates are YYYYMMDD: one slot per number between the first and the
	// last, most of them days. Worth it for a large ledger over a few
	// years, not for a small one or a span of centuries.
	if len(credits) < 4096 || int64(hi)-int64(lo) > 4*int64(len(credits)) {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(x, y int32) int {
			return cmp.Or(cmp.Compare(credits[x].Date, credits[y].Date), byID(x, y))
		})
		return order
	}
	start := make([]int32, int(hi-lo)+2)
	for i := range credits {
		start[credits[i].Date-lo+1]++
	}
	for d := 1; d < len(start); d++ {
		start[d] += start[d-1]
	}
	next := slices.Clone(start[:len(start)-1])
	for i := range credits {
		d := credits[i].Date - lo
		order[next[d]] = int32(i)
		next[d]++
	}
	for d := 0; d+1 < len(start); d++ {
		if day := order[start[d]:start[d+1]]; len(day) > 1 {
			slices.SortFunc(day, byID)
		}
	}
	return order
}
