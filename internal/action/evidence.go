package action

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
)

// applicationEvidence is what the leadership weighs when it decides an
// application, as the pull request's comment shows it.
type applicationEvidence struct {
	App *ledger.Application
	// Status is as of the last complete month before Day, from the credits
	// of the months the criteria look at only (see score.OfMonths).
	Status *partner.Status
	// Day is the decision's, or today's for an application not decided.
	Day ledger.Date
	// Deciders are the GitHub logins of the leadership who may decide it;
	// Conflicted the ids of those who may not, who work for the applicant
	// on Day.
	Deciders, Conflicted []string
	// Override lists what an approval on Day must explain in
	// decision.override: the criteria it misses.
	Override []string
}

// writeApplication writes an application's evidence: each criterion
// month by month, what is missing, the organisation's score for the
// window, who may decide it and whether an approval needs
// decision.override.
func writeApplication(b *strings.Builder, ev applicationEvidence) {
	st, a := ev.Status, ev.App
	verdict := "not yet eligible"
	if st.Eligible {
		verdict = "eligible"
	}
	when := "today"
	if d := a.Decision; d != nil {
		when = fmt.Sprintf("the decision (%s, %s)", report.EscapeMarkdown(d.Outcome), d.Date)
	}
	fmt.Fprintf(b, "As of %s, the last complete month before %s: **%s**.\n\n", st.AsOf, when, verdict)
	criteriaTable(b, st)

	if months := st.Practical.Months; len(months) > 0 {
		total := 0
		for _, m := range months {
			total += m.Score
		}
		fmt.Fprintf(b, "\nScore for the window (%s to %s): **%d**.\n", months[0].Month, months[len(months)-1].Month, total)
	}
	if missing := st.Missing(); len(missing) > 0 {
		b.WriteString("\n**Missing**\n\n")
		for _, m := range missing {
			b.WriteString("- " + report.EscapeMarkdown(m) + "\n")
		}
	}

	b.WriteString("\n**May decide it**: ")
	if len(ev.Deciders) == 0 {
		b.WriteString("no member of the leadership with a GitHub identity in the base branch's people/")
	} else {
		b.WriteString(atHandles(ev.Deciders))
	}
	if len(ev.Conflicted) > 0 {
		fmt.Fprintf(b, "; not %s, who %s for %s on %s", strings.Join(ev.Conflicted, ", "),
			map[bool]string{true: "works", false: "work"}[len(ev.Conflicted) == 1], a.Org, ev.Day)
	}
	b.WriteString(".\n")

	switch d := a.Decision; {
	case d != nil && d.Outcome != "approved":
	case d != nil && strings.TrimSpace(d.Override) != "":
		fmt.Fprintf(b, "\n**decision.override** explains the exception: %s\n", report.EscapeMarkdown(d.Override))
	case d != nil && len(ev.Override) > 0:
		fmt.Fprintf(b, "\n**decision.override is required**: the approval came while it missed %s.\n", report.EscapeMarkdown(strings.Join(ev.Override, "; ")))
	case d != nil:
		b.WriteString("\nThe approval needs no decision.override: every criterion was met.\n")
	case len(ev.Override) > 0:
		fmt.Fprintf(b, "\nApproving it today would need a **decision.override** saying why: it misses %s.\n", report.EscapeMarkdown(strings.Join(ev.Override, "; ")))
	default:
		b.WriteString("\nApproving it today needs no decision.override.\n")
	}
}

// criteriaTable writes each criterion month by month.
func criteriaTable(b *strings.Builder, st *partner.Status) {
	var months []ledger.Month
	for _, m := range st.Practical.Months {
		months = append(months, m.Month)
	}
	for _, m := range st.Financial.Months {
		months = append(months, m.Month)
	}
	slices.Sort(months)
	months = slices.Compact(months)

	b.WriteString("| Criterion |")
	for _, m := range months {
		fmt.Fprintf(b, " %s |", m)
	}
	b.WriteString(" |\n|---|")
	b.WriteString(strings.Repeat("--:|", len(months)))
	b.WriteString("---|\n")

	cells := map[ledger.Month]string{}
	for _, m := range st.Practical.Months {
		cells[m.Month] = fmt.Sprintf("%d%s", m.Score, miss(m.Met))
	}
	row(b, fmt.Sprintf("Score, at least %d", st.Practical.MinScore), months, cells, st.Practical.Met)

	f := st.Financial
	cells = map[ledger.Month]string{}
	for _, m := range f.Months {
		cells[m.Month] = partner.Dollars(m.Paid) + miss(m.Met)
	}
	where := f.Country
	if f.Basis != partner.BasisIndex {
		where = strings.TrimSpace(where + " " + string(f.Basis))
	}
	row(b, fmt.Sprintf("Paid, at least %s (%s)", partner.Dollars(f.Minimum), report.EscapeMarkdown(cmp.Or(where, "no country"))), months, cells, f.Met)

	c := st.Conduct
	row(b, fmt.Sprintf("No conduct sanction, %s to %s", c.From, c.To), months, nil, c.Met)
}

func row(b *strings.Builder, name string, months []ledger.Month, cells map[ledger.Month]string, met bool) {
	b.WriteString("| " + name + " |")
	for _, m := range months {
		b.WriteString(" " + cells[m] + " |")
	}
	b.WriteString(" " + map[bool]string{true: "met", false: "**not met**"}[met] + " |\n")
}

func miss(met bool) string {
	if met {
		return ""
	}
	return " ✗"
}

// atHandles writes GitHub logins as handles that mention no one: the
// review requests notify those whose review is missing.
func atHandles(logins []string) string {
	out := make([]string, len(logins))
	for i, l := range logins {
		out[i] = report.EscapeMarkdown("@" + l)
	}
	return strings.Join(out, ", ")
}
