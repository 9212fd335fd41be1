package diff

import (
	"math"
	"slices"
	"sync"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Scoring twice what two revisions share would double the work of a pull
// request's check for nothing: caps apply per month, so the credits of a
// month score the same at both revisions unless the change touches that
// month. A partial comparison therefore scores in parts, each a set of
// whole months: the months the change leaves alone once (in two parts, to
// use two cores), the months it changes once per revision. All parts share
// one index of the people, who are the same at both revisions. A full
// comparison (people changed) scores everything on each side with that
// side's index, the shared credits still in place rather than copied into
// a whole ledger per side.

// scoreParts scores a revision pair: rules holds the rules and people
// both share (ix indexes them, in a partial plan), shared and touched the
// credits both share (as split cuts them), before and after the changed
// files.
func scoreParts(pl plan, rules *ledger.Ledger, ix *ledger.Index, shared [][]ledger.Credit, touched []ledger.Credit, before, after *ledger.Ledger) (bp, ap []*score.Book) {
	// The rules and the people each side scores with.
	sides := [2]*ledger.Ledger{rules, rules}
	indexes := [2]*ledger.Index{ix, ix}
	if pl.full {
		sides = [2]*ledger.Ledger{ledger.Merge(rules, undated(before)), ledger.Merge(rules, undated(after))}
		parallel(func() { indexes[0] = ledger.NewIndex(sides[0]) }, func() { indexes[1] = ledger.NewIndex(sides[1]) })
	}
	part := func(k int, credits []ledger.Credit) *ledger.Ledger {
		// Only the rules and the credits are read to score; where each
		// credit is written (Files) is left out.
		l := *sides[k]
		l.Files, l.Credits, l.Payments = nil, credits, nil
		return &l
	}
	changed := [2][]ledger.Credit{slices.Concat(touched, before.Credits), slices.Concat(touched, after.Credits)}
	// Each side's books in a fixed order (the shared months, then the
	// changed ones), for results that do not depend on scheduling.
	var books [2][]*score.Book
	var tasks []func()
	for k := range 2 {
		books[k] = make([]*score.Book, len(shared), len(shared)+1)
		if k == 0 || pl.full { // else scored once, for both
			for i, credits := range shared {
				tasks = append(tasks, func() { books[k][i] = score.NewWithIndex(part(k, credits), indexes[k]) })
			}
		}
		books[k] = append(books[k], nil)
		last := len(books[k]) - 1
		tasks = append(tasks, func() { books[k][last] = score.NewWithIndex(part(k, changed[k]), indexes[k]) })
	}
	pool(tasks, 2)
	if !pl.full {
		copy(books[1], books[0][:len(shared)])
	}
	return books[0], books[1]
}

// undated is a ledger without its credits and payments.
func undated(l *ledger.Ledger) *ledger.Ledger {
	u := *l
	u.Credits, u.Payments = nil, nil
	return &u
}

// pool runs tasks, at most n at once, the first ones first.
func pool(tasks []func(), n int) {
	next := make(chan func())
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for t := range next {
				t()
			}
		})
	}
	for _, t := range tasks {
		next <- t
	}
	close(next)
	wg.Wait()
}

// split sorts the shared credits into those of the months the change
// touches and the others, which it cuts, when halves is set, in two runs of
// whole months with about half the credits each. With nothing touched and
// no halves, the credits stay where they are.
func split(pl plan, credits []ledger.Credit, halves bool) (shared [][]ledger.Credit, touched []ledger.Credit) {
	if len(pl.changed) == 0 && !halves {
		return [][]ledger.Credit{credits}, nil
	}
	perMonth := map[ledger.Month]int{}
	rest := 0
	for i := range credits {
		if m := credits[i].Date.Month(); !pl.changed[m] {
			perMonth[m]++
			rest++
		}
	}
	cut, n := ledger.Month(math.MaxInt32), rest
	if halves {
		months := make([]ledger.Month, 0, len(perMonth))
		for m := range perMonth {
			months = append(months, m)
		}
		slices.Sort(months)
		n = 0
		for _, m := range months {
			if n >= rest/2 {
				cut = m
				break
			}
			n += perMonth[m]
		}
	}
	shared = [][]ledger.Credit{make([]ledger.Credit, 0, n), make([]ledger.Credit, 0, rest-n)}
	touched = make([]ledger.Credit, 0, len(credits)-rest)
	for i := range credits {
		c := &credits[i]
		switch m := c.Date.Month(); {
		case pl.changed[m]:
			touched = append(touched, *c)
		case m < cut:
			shared[0] = append(shared[0], *c)
		default:
			shared[1] = append(shared[1], *c)
		}
	}
	if !halves {
		shared = shared[:1]
	}
	return shared, touched
}
