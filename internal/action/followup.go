package action

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// followUp is who needs a word after a month: the partners whose score
// fell by decline_alert or more, those in warning, lapsed or recovering,
// and the people who went quiet or came back. The monthly run keeps it as
// one issue per month.
type followUp struct {
	Month                                 ledger.Month
	Rules                                 ledger.PartnerRules
	Lapsed, Warning, Declined, Recovering []partnerFollowUp
	// Quiet had credits in each of the regularMonths months before the
	// quietMonths up to Month, and none in those; Back have credits in
	// Month after backGap months without, and some before.
	Quiet, Back []*ledger.Person
	// Contacts are the GitHub logins of program.yaml's contacts.partners,
	// to mention; Unreachable the contacts without one, by name.
	Contacts, Unreachable []string
}

// What makes someone quiet, or back.
const regularMonths, quietMonths, backGap = 3, 2, 3

// partnerFollowUp is a partner with its last three months.
type partnerFollowUp struct {
	*partner.Listing
	// Months are its status as of each of the last three months, oldest
	// first.
	Months []*partner.Status
	// Previous is its score the month before, when it fell by
	// decline_alert or more.
	Previous *int
}

// newFollowUp finds who needs a word after month m. A partner is listed
// once: lapsed, else in warning, else fallen, else recovering (back at
// the requirements after a month below them).
func newFollowUp(b *score.Book, m ledger.Month) *followUp {
	e := partner.NewEvaluator(b)
	d := e.NewDirectory(m)
	f := &followUp{Month: m, Rules: d.Rules}
	fell := map[string]int{}
	for _, dc := range d.Declines {
		fell[dc.Org] = dc.Previous
	}
	for _, p := range d.Partners {
		pf := partnerFollowUp{Listing: p, Months: []*partner.Status{e.Evaluate(p.Org, m-2), e.Evaluate(p.Org, m-1), p.Status}}
		if prev, ok := fell[p.Org.ID]; ok {
			pf.Previous = &prev
		}
		switch {
		case p.Standing == partner.Lapsed:
			f.Lapsed = append(f.Lapsed, pf)
		case p.Standing == partner.Warning:
			f.Warning = append(f.Warning, pf)
		case pf.Previous != nil:
			f.Declined = append(f.Declined, pf)
		case pf.Months[1].Partner && pf.Months[1].FailedMonths > 0:
			f.Recovering = append(f.Recovering, pf)
		}
	}
	for i := range b.Contributors {
		c := &b.Contributors[i]
		if p := c.Person; p == nil || c.Bot || p.Visibility != "" && p.Visibility != "public" {
			continue // no one to write to, or no one to name
		}
		if activeIn(c, m-quietMonths-regularMonths+1, m-quietMonths) == regularMonths && activeIn(c, m-quietMonths+1, m) == 0 {
			f.Quiet = append(f.Quiet, c.Person)
		}
		if c.ActiveIn(m) && activeIn(c, m-backGap, m-1) == 0 && c.First.Month() < m-backGap {
			f.Back = append(f.Back, c.Person)
		}
	}
	byID := func(a, b *ledger.Person) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(f.Quiet, byID)
	slices.SortFunc(f.Back, byID)
	if p := b.Ledger.Program; p != nil {
		for _, r := range p.Contacts.Partners {
			person := b.Index.People[r.ID]
			if logins := person.GitHubLogins(); len(logins) > 0 {
				f.Contacts = append(f.Contacts, logins[0])
			} else if person != nil {
				f.Unreachable = append(f.Unreachable, person.Name)
			}
		}
	}
	return f
}

// fell says how the partner's score fell, when it fell by decline_alert
// or more.
func (p partnerFollowUp) fell() string {
	if p.Previous == nil {
		return ""
	}
	return fmt.Sprintf("; its score fell from %d to %d", *p.Previous, p.Score)
}

// activeIn counts the months from..to in which c has credits.
func activeIn(c *score.Contributor, from, to ledger.Month) int {
	n := 0
	for m := from; m <= to; m++ {
		if c.ActiveIn(m) {
			n++
		}
	}
	return n
}

// empty tells whether no one needs a word.
func (f *followUp) empty() bool {
	return len(f.Lapsed)+len(f.Warning)+len(f.Declined)+len(f.Recovering)+len(f.Quiet)+len(f.Back) == 0
}

func followUpTitle(m ledger.Month) string  { return "Partner follow-up: " + m.String() }
func followUpMarker(m ledger.Month) string { return "<!-- tally:follow-up " + m.String() + " -->" }

// markdown is the body. Names are escaped as the reports escape
// them; the contacts are mentioned, so that GitHub notifies them. reports
// is a link to the reports the figures come from ("" for none).
func (f *followUp) markdown(reports string) string {
	var b strings.Builder
	b.WriteString(followUpMarker(f.Month) + "\n")
	month := words.Month(f.Month)
	if f.empty() {
		fmt.Fprintf(&b, "Nothing to follow up after %s any more: every partner keeps up, and no one went quiet or came back.\n", month)
		return b.String()
	}
	fmt.Fprintf(&b, "Who needs a word after %s", month)
	if reports != "" {
		b.WriteString(", from " + reports)
	}
	b.WriteString(".")
	if len(f.Contacts) > 0 {
		// Mentioned: GitHub notifies them.
		handles := make([]string, len(f.Contacts))
		for i, l := range f.Contacts {
			handles[i] = "@" + l
		}
		b.WriteString(" For " + words.List(handles) + ".")
	} else {
		b.WriteString(" program.yaml names no `contacts.partners` with a GitHub identity to mention.")
	}
	for _, name := range f.Unreachable {
		fmt.Fprintf(&b, " %s, of `contacts.partners`, has no GitHub identity to mention.", report.EscapeMarkdown(name))
	}
	b.WriteString("\n")

	r := f.Rules
	f.table(&b, "Lapsed", fmt.Sprintf("Below the requirements for %s or more in a row: no longer featured, and listed as lapsed until a month at the requirements brings it back.", words.Plural(r.LapseMonths, "month")), f.Lapsed, func(p partnerFollowUp) string {
		return fmt.Sprintf("%s below the requirements; in %s: %s%s", words.Plural(p.FailedMonths, "month"), month, strings.Join(p.Misses, "; "), p.fell())
	})
	f.table(&b, "In warning", fmt.Sprintf("Below the requirements, within the %s of grace.", words.Plural(r.GraceMonths, "month")), f.Warning, func(p partnerFollowUp) string {
		return fmt.Sprintf("%s left before it lapses; in %s: %s%s", words.Plural(r.LapseMonths-p.FailedMonths, "month"), month, strings.Join(p.Misses, "; "), p.fell())
	})
	f.table(&b, "Activity fell", fmt.Sprintf("In good standing, but the score fell by %s or more since %s: worth a friendly word.", report.Percent(cmp.Or(r.DeclineAlert, ledger.DefaultPartnerRules.DeclineAlert)), words.Month(f.Month-1)), f.Declined, func(p partnerFollowUp) string {
		return strings.TrimPrefix(p.fell(), "; ")
	})
	f.table(&b, "Recovering", "Back at the requirements after a month or more below them.", f.Recovering, func(p partnerFollowUp) string {
		return fmt.Sprintf("%s below the requirements up to %s", words.Plural(p.Months[1].FailedMonths, "month"), words.Month(f.Month-1))
	})

	if len(f.Quiet)+len(f.Back) > 0 {
		b.WriteString("\n### People\n\n")
		if len(f.Quiet) > 0 {
			fmt.Fprintf(&b, "- **Went quiet** (credits in each month of %s, none since): %s\n", words.Months(f.Month-quietMonths-regularMonths+1, f.Month-quietMonths), names(f.Quiet))
		}
		if len(f.Back) > 0 {
			fmt.Fprintf(&b, "- **Came back** (credits in %s, none in the %s before): %s\n", month, words.Plural(backGap, "month"), names(f.Back))
		}
	}
	b.WriteString("\n---\nThe monthly run of tally keeps this issue up to date while it is open; close it when the follow-up is done, and it stays closed.\n")
	return fit(b.String(), "The partners report has every figure.")
}

// table writes a section of partners, each with its score and payments in
// the last three months and what it needs.
func (f *followUp) table(b *strings.Builder, title, about string, list []partnerFollowUp, needs func(partnerFollowUp) string) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s (%d)\n\n%s Score and payments of each month:\n\n| Partner |", title, len(list), about)
	for _, st := range list[0].Months {
		fmt.Fprintf(b, " %s |", words.ShortMonth(st.AsOf)+" "+strconv.Itoa(st.AsOf.Year()))
	}
	b.WriteString(" What it needs |\n|---|---|---|---|---|\n")
	for _, p := range list {
		fmt.Fprintf(b, "| %s (`%s`) |", report.EscapeMarkdown(cmp.Or(p.Org.Name, p.Org.ID)), p.Org.ID)
		for _, st := range p.Months {
			fmt.Fprintf(b, " %d · %s |", st.Score, partner.Dollars(st.Paid))
		}
		fmt.Fprintf(b, " %s |\n", report.EscapeMarkdown(needs(p)))
	}
}

func names(people []*ledger.Person) string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = report.EscapeMarkdown(p.Name) + " (`" + p.ID + "`)"
	}
	return words.List(out)
}
