// Package importer brings into the ledger what other places hold: payment
// exports (Open Collective, GitHub Sponsors) as funding shards, a
// repository's history and other tools' credits as credit shards, and an
// .all-contributorsrc's contributors as people.
//
// An import only ever adds. Records are merged by id (a payment's
// transaction id, a credit's id), so importing the same thing twice
// changes nothing; a record already in the ledger is never removed or
// rewritten, whatever the source now says of it (for payments, that is
// reported instead); and a shard's existing text, hand-written records and
// comments included, is kept byte for byte. Every file an import writes is
// prepared before the first is written. Payers are matched to
// organisations through their `accounts`; a payer no organisation lists is
// written with `payer:` and no `org:`, and reported, never dropped.
package importer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the program's time zone resolves the same everywhere

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
)

// Record is one payment an export holds, before it is matched to an
// organisation.
type Record struct {
	ID       string // <source>:<transaction id>
	Payer    string // the payer's handle on the source
	Amount   string // exact decimal, in the currency's minor digits
	Currency string
	Date     ledger.Date // in the program's time zone
	Note     string
	Months   int // the months a yearly payment covers; 0 for one month
	Line     int // in the export
}

// Skip is a row of an export that is not imported, and why.
type Skip struct {
	Line   int
	ID     string // "" when the row has none
	Reason string // the kind of reason, which the summary groups by
	Detail string // about this row: its type, what refunded it...
}

// Export is what an export file holds for the ledger.
type Export struct {
	// Source is the shard's name: funding/<YYYY>/<MM>/<Source>.yaml.
	Source string
	// Platform is the key of organisations' accounts its payers are
	// matched on.
	Platform string
	Rows     int
	Records  []Record
	Skipped  []Skip
	// Refunded lists the payment ids the export says were refunded, so
	// that those already in the ledger can be pointed out.
	Refunded map[string]string // id -> what refunded it
}

// LoadLedger reads what an import needs from a ledger: the program (for
// its time zone), the organisations (for their accounts) and the funding
// shards (for the payments already there).
func LoadLedger(dir string) (*ledger.Ledger, error) {
	include := func(p string) bool {
		return p == "program.yaml" || strings.HasPrefix(p, "organizations/") || strings.HasPrefix(p, "funding/")
	}
	funding := func(p string) bool { return strings.HasPrefix(p, "funding/") }
	return ledger.LoadToAdd(dir, include, funding, "its payments")
}

// Location is the program's time zone, in which payments are dated; UTC
// when the program names none.
func Location(l *ledger.Ledger) (*time.Location, error) { return l.Program.Location() }

// Summary is what an import did, and what needs a person's attention.
type Summary struct {
	Source string
	Rows   int
	Added  []Added
	// Present lists the export's payments already in the ledger.
	Present []string
	// Differs lists payments in the ledger whose figures the export
	// contradicts; the ledger is left as it is.
	Differs []Difference
	Skipped []Skip
	// Unmatched lists, by handle, the payers of the export's payments that
	// have no organisation in the ledger.
	Unmatched []Payer
	// Attributable lists payments in the ledger that name only a payer
	// which an organisation's accounts now list.
	Attributable []Attributable
	// RefundedInLedger lists payments in the ledger that the export says
	// were refunded.
	RefundedInLedger []Refunded
	// Files lists the shards written, by slash path inside the ledger.
	Files []FileChange
}

// Added is a payment written by the import.
type Added struct {
	Record
	Org  string
	File string
}

// Difference is a payment that the ledger and the export disagree on.
type Difference struct {
	ID, File, What string
}

// Payer is an unmatched payer and the payments from it.
type Payer struct {
	Handle string
	IDs    []string
}

// Attributable is a payment written before its payer was given to an
// organisation.
type Attributable struct {
	ID, File, Payer, Org string
}

// Refunded is a payment in the ledger that was refunded since.
type Refunded struct {
	ID, File, By string
}

// FileChange is one shard written.
type FileChange struct {
	Path    string
	Added   int
	Created bool
}

// Merge adds an export's payments to the ledger at dir (loaded as l by
// LoadLedger) and writes the shards that change, each atomically. Every
// shard is prepared before the first is written, so that a shard that
// cannot be merged stops the import with nothing written.
func Merge(dir string, l *ledger.Ledger, e *Export) (*Summary, error) {
	s := &Summary{Source: e.Source, Rows: e.Rows, Skipped: e.Skipped}
	owner := map[string]string{}
	for _, o := range l.Organizations {
		for _, a := range o.Accounts {
			key := ledger.IdentityKey(a.Platform, a.Handle)
			if _, dup := owner[key]; !dup {
				owner[key] = o.ID
			}
		}
	}
	existing := map[string]*ledger.Payment{}
	for i := range l.Payments {
		p := &l.Payments[i]
		if _, dup := existing[p.ID]; !dup {
			existing[p.ID] = p
		}
	}
	fileOf := func(p *ledger.Payment) string { return l.Files[p.File] }

	unmatched := map[string][]string{}
	byShard := map[string][]Added{}
	seen := map[string]Record{}
	for _, r := range e.Records {
		if prev, dup := seen[r.ID]; dup {
			detail := "same figures"
			if prev.Amount != r.Amount || prev.Currency != r.Currency || prev.Date != r.Date || prev.Payer != r.Payer {
				detail = fmt.Sprintf("different figures; line %d is used", prev.Line)
			}
			s.Skipped = append(s.Skipped, Skip{Line: r.Line, ID: r.ID, Reason: "listed twice in the export", Detail: detail})
			continue
		}
		seen[r.ID] = r
		org := owner[ledger.IdentityKey(e.Platform, r.Payer)]
		if p, ok := existing[r.ID]; ok {
			s.Present = append(s.Present, r.ID)
			if what := differs(p, r); what != "" {
				s.Differs = append(s.Differs, Difference{ID: r.ID, File: fileOf(p), What: what})
			}
			if p.Org == "" && p.Payer != "" {
				if o := owner[ledger.IdentityKey(e.Platform, p.Payer)]; o != "" {
					s.Attributable = append(s.Attributable, Attributable{ID: p.ID, File: fileOf(p), Payer: p.Payer, Org: o})
				} else {
					unmatched[p.Payer] = append(unmatched[p.Payer], p.ID)
				}
			}
			continue
		}
		a := Added{Record: r, Org: org, File: shardPath(e.Source, r.Date)}
		byShard[a.File] = append(byShard[a.File], a)
		if org == "" {
			unmatched[r.Payer] = append(unmatched[r.Payer], r.ID)
		}
	}
	for id, by := range e.Refunded {
		if p, ok := existing[id]; ok {
			s.RefundedInLedger = append(s.RefundedInLedger, Refunded{ID: id, File: fileOf(p), By: by})
		}
	}
	sort.Slice(s.RefundedInLedger, func(i, j int) bool { return s.RefundedInLedger[i].ID < s.RefundedInLedger[j].ID })
	for _, h := range slices.Sorted(maps.Keys(unmatched)) {
		s.Unmatched = append(s.Unmatched, Payer{Handle: h, IDs: unmatched[h]})
	}

	entries := map[string][]ledger.ShardEntry{}
	for _, file := range slices.Sorted(maps.Keys(byShard)) {
		add := byShard[file]
		sort.Slice(add, func(i, j int) bool { return lessPayment(add[i].Date, add[i].ID, add[j].Date, add[j].ID) })
		for _, a := range add {
			entries[file] = append(entries[file], paymentEntry(a, e.Source))
		}
		s.Added = append(s.Added, add...)
	}
	writes, files, err := spliceShards(dir, "payments", fundingSchema, entries)
	if err != nil {
		return nil, err
	}
	if err := writeShards(writes); err != nil {
		return nil, err
	}
	s.Files = files
	return s, nil
}

// differs says how an export's record contradicts the ledger's payment of
// the same id, or "".
func differs(p *ledger.Payment, r Record) string {
	var what []string
	if a, err := money.Parse(r.Amount); err != nil || a != p.Amount || r.Currency != p.Currency {
		what = append(what, fmt.Sprintf("amount %s %s in the export, %s %s in the ledger", r.Amount, r.Currency, p.Amount, p.Currency))
	}
	if r.Date != p.Date {
		what = append(what, fmt.Sprintf("date %s in the export, %s in the ledger", r.Date, p.Date))
	}
	return strings.Join(what, "; ")
}

// shardPath is where a payment of a source on a date is filed.
func shardPath(source string, d ledger.Date) string {
	m := d.Month()
	return fmt.Sprintf("funding/%04d/%02d/%s.yaml", m.Year(), m.Number(), source)
}

// lessPayment orders a shard: by date, then id.
func lessPayment(d1 ledger.Date, id1 string, d2 ledger.Date, id2 string) bool {
	if d1 != d2 {
		return d1 < d2
	}
	return id1 < id2
}
