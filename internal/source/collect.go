package source

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
)

// Collector judges the items a run finds, once for every source: an item
// the ledger holds is counted as present; one outside the window is
// dropped; one of a bot (as the platform or the ledger says) or of a kind
// the program does not define on its date is skipped and counted; the
// rest become credits, dated in the program's time zone.
type Collector struct {
	program      *ledger.Program
	index        *ledger.Index
	loc          *time.Location
	since, until time.Time
	// held are the ids of the credits in the ledger; found, of those
	// found in this run.
	held, found map[string]bool
	sorted      []string // the held ids, sorted, once asked for

	credits []ledger.Credit
	names   map[string]string // who -> display name, as items gave it
	present int
	skipped []Skip
}

// Handle is a handle no person owns: the credits it has, and its display
// name where the platform gave one.
type Handle struct {
	Credits int
	Name    string
}

// NewCollector judges items against the ledger l, keeping those that
// happened in [since, until] (either zero: unbounded).
func NewCollector(l *ledger.Ledger, since, until time.Time) (*Collector, error) {
	loc, err := l.Program.Location()
	if err != nil {
		return nil, err
	}
	c := &Collector{
		program: l.Program, index: ledger.NewIndex(l), loc: loc, since: since, until: until,
		held: make(map[string]bool, len(l.Credits)), found: map[string]bool{},
	}
	for i := range l.Credits {
		c.held[l.Credits[i].ID] = true
	}
	return c, nil
}

// Held tells whether the ledger holds the credit id already, or the run
// found it, so that a source need not ask for its details again.
func (c *Collector) Held(id string) bool { return c.held[id] || c.found[id] }

// HeldUnder tells whether the ledger holds a credit whose id starts with
// prefix: a source need not read again an item it credited before
// ("discourse:forum.example.org/t/123/").
func (c *Collector) HeldUnder(prefix string) bool {
	if c.sorted == nil {
		c.sorted = slices.Sorted(maps.Keys(c.held))
	}
	i, _ := slices.BinarySearch(c.sorted, prefix)
	return i < len(c.sorted) && strings.HasPrefix(c.sorted[i], prefix)
}

// Add judges one item.
func (c *Collector) Add(it Item) {
	if c.found[it.ID] {
		return // listed twice: an item can move a page while we read
	}
	c.found[it.ID] = true
	if c.held[it.ID] {
		c.present++
		return
	}
	if !c.since.IsZero() && it.At.Before(c.since) || !c.until.IsZero() && it.At.After(c.until) {
		return
	}
	_, handle, _ := strings.Cut(it.Who, ":")
	if handle == "" {
		return // a deleted account leaves nobody to credit
	}
	cr := it.Credit
	cr.Date = c.Date(it.At)
	skip := func(reason string) {
		c.skipped = append(c.skipped, Skip{ID: cr.ID, Kind: cr.Kind, Who: cr.Who, Date: cr.Date, Reason: reason})
	}
	if p := c.index.Resolve(cr.Who); it.Bot || p != nil && p.Bot {
		skip("bot")
		return
	}
	if _, ok := c.program.KindOn(cr.Kind, cr.Date); !ok {
		skip("kind")
		return
	}
	c.credits = append(c.credits, cr)
	if it.Name != "" {
		if c.names == nil {
			c.names = map[string]string{}
		}
		c.names[cr.Who] = it.Name
	}
}

// Date is the calendar day of t in the program's time zone.
func (c *Collector) Date(t time.Time) ledger.Date {
	y, m, d := t.In(c.loc).Date()
	return ledger.Date(y*10000 + int(m)*100 + d)
}

// Credits are the credits to write, sorted by date, then id.
func (c *Collector) Credits() []ledger.Credit {
	slices.SortFunc(c.credits, func(a, b ledger.Credit) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.ID, b.ID))
	})
	return c.credits
}

// Present counts the items found that the ledger holds already.
func (c *Collector) Present() int { return c.present }

// Skipped lists the credits found but not written, and why.
func (c *Collector) Skipped() []Skip { return c.skipped }

// Unowned are, by who, the handles no person owns among the credits to
// write.
func (c *Collector) Unowned() map[string]Handle {
	out := map[string]Handle{}
	for _, cr := range c.credits {
		if strings.Contains(cr.Who, ":") && c.index.Resolve(cr.Who) == nil {
			h := out[cr.Who]
			h.Credits++
			h.Name = c.names[cr.Who]
			out[cr.Who] = h
		}
	}
	return out
}
