package action

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// commentMarker starts tally's comment on a pull request: runs find the
// comment by it to edit it in place.
const commentMarker = "<!-- tally:check -->"

// maxComment is the most a comment's or an issue's text may take, in
// bytes, leaving room in GitHub's limit of characters for the comment's
// header.
const maxComment = 65000

// commentInput is what the comment on a pull request is made from.
type commentInput struct {
	Number int
	Res    *CheckResult
	// Diff is tally diff's Markdown: what the change moves.
	Diff string
	// BlobURL is the web address of a file at the pull request's head,
	// less the file's path: https://HOST/OWNER/REPO/blob/SHA/.
	BlobURL string
	// Untrusted says why a pull request from the report branch is judged
	// as any ("" when it is not one, or is the monthly run's own).
	Untrusted string
	// Today is the date in the program's time zone: an application not
	// yet decided is judged as of the month before.
	Today ledger.Date
}

// commentBody is what tally says on a pull request, without the header
// that marks the comment as tally's: for a claim, who is credited and
// whose review it needs; for an application, its evidence; for anything
// else, who must approve; then the findings, and what moves in scores and
// ranks. It is "" when the pull request changes nothing in the ledger and
// has no problem: then tally's comment goes.
func commentBody(in commentInput) string {
	res := in.Res
	if len(res.Changes) == 0 && len(res.Problems) == 0 {
		return ""
	}
	w := &commentWriter{in: in, needs: map[string][]Problem{}, status: map[string]gitrev.Status{}}
	var findings []Problem
	for _, p := range res.Problems {
		if p.Reviewing {
			w.needs[p.File] = append(w.needs[p.File], p)
		} else {
			findings = append(findings, p)
		}
	}
	for _, c := range res.Changes {
		w.status[path.Join(res.Ledger, c.Path)] = c.Status
	}
	b := &w.b
	if len(res.Problems) == 0 {
		fmt.Fprintf(b, "## Tally: pull request #%d may merge\n\nThe ledger is valid and every change has the reviews it needs.\n", in.Number)
	} else {
		fmt.Fprintf(b, "## Tally: pull request #%d cannot merge yet\n", in.Number)
	}
	b.WriteString("\n" + judgedBy(res) + "\n")
	if in.Untrusted != "" {
		b.WriteString("\n" + report.EscapeMarkdown(in.Untrusted) + "\n")
	}
	if r := res.rules; r != nil {
		for _, c := range res.Changes {
			w.record(r, c)
		}
	}
	w.others()
	if len(findings) > 0 {
		fmt.Fprintf(b, "\n### Findings (%d)\n\n", len(findings))
		for _, p := range findings {
			loc := p.File
			if p.Line > 0 {
				loc += fmt.Sprintf(":%d:%d", p.Line, p.Col)
			}
			fmt.Fprintf(b, "- %s %s `[%s]`\n", w.link(loc, p.File, p.Line), report.EscapeMarkdown(p.Message), p.Rule)
		}
	}
	if in.Diff != "" {
		b.WriteString("\n" + in.Diff)
	}
	return fit(b.String(), "The check's step summary has everything.")
}

// commentWriter writes the comment's sections.
type commentWriter struct {
	in commentInput
	b  strings.Builder
	// needs holds the missing reviews not yet written, by file; status
	// the changed files' git status, by path from the repository's top.
	needs  map[string][]Problem
	status map[string]gitrev.Status
}

// record writes the section of a changed claim or application; other
// files are left for others.
func (w *commentWriter) record(r *reviewRules, c gitrev.Change) {
	place, err := ledger.Classify(c.Path)
	if err != nil {
		return
	}
	file := path.Join(w.in.Res.Ledger, c.Path)
	l := r.head
	if c.Status == 'D' {
		l = r.base
	}
	switch place.Kind {
	case ledger.ClaimFile:
		if claim := findClaim(l, c.Path); claim != nil {
			w.claim(r, c, file, claim)
			w.reviews(file, "It has the review it needs.")
		}
	case ledger.ApplicationFile:
		if a := findApplication(l, c.Path); a != nil {
			w.application(r, c, file, a)
			w.reviews(file, "It has the reviews it needs.")
		}
	}
}

// claim says who a claim credits, with what, and for which organisation.
func (w *commentWriter) claim(r *reviewRules, c gitrev.Change, file string, claim *ledger.Credit) {
	ix := r.headIx
	if c.Status == 'D' {
		ix = r.baseIx
	}
	who := code(claim.Who)
	p := ix.Resolve(claim.Who)
	if p != nil && cmp.Or(p.Visibility, "public") == "public" {
		who = "**" + report.EscapeMarkdown(p.Name) + "** (" + who + ")"
	}
	b := &w.b
	fmt.Fprintf(b, "\n### Claim: %s on %s\n\n", report.EscapeMarkdown(words.Kind(claim.Kind)), claim.Date)
	verb := map[gitrev.Status]string{'A': "adds", 'D': "removes"}[c.Status]
	fmt.Fprintf(b, "%s %s a claim that credits %s", w.link(file, file, 0), cmp.Or(verb, "changes"), who)
	if claim.Title != "" {
		fmt.Fprintf(b, " for “%s”", report.EscapeMarkdown(claim.Title))
	}
	if rule, ok := r.base.Program.KindOn(claim.Kind, claim.Date); ok {
		fmt.Fprintf(b, ": weight %d", rule.Weight)
		if rule.Area != "" {
			fmt.Fprintf(b, " in the %s area", report.EscapeMarkdown(rule.Area))
		}
	}
	org := claim.Org
	if org == "" && p != nil {
		org = p.AffiliationOn(claim.Date)
	}
	if o := ix.Orgs[org]; o != nil {
		fmt.Fprintf(b, ", for %s", report.EscapeMarkdown(cmp.Or(o.Name, o.ID)))
	}
	b.WriteString(". What it moves is below.\n")
}

// application writes an application's evidence, judged by the pull
// request's ledger with the base branch's rules.
func (w *commentWriter) application(r *reviewRules, c gitrev.Change, file string, a *ledger.Application) {
	b := &w.b
	ix := r.headIx
	if c.Status == 'D' {
		ix = r.baseIx
	}
	name := a.Org
	o := ix.Orgs[a.Org]
	if o != nil && o.Name != "" {
		name = o.Name
	}
	fmt.Fprintf(b, "\n### Application: %s (%s), submitted %s\n\n", report.EscapeMarkdown(name), code(a.Org), a.Submitted)
	if c.Status == 'D' {
		fmt.Fprintf(b, "%s removes the application.\n", w.link(file, file, 0))
		return
	}
	verb := map[gitrev.Status]string{'A': "adds"}[c.Status]
	fmt.Fprintf(b, "%s %s it.\n\n", w.link(file, file, 0), cmp.Or(verb, "changes"))
	if o == nil {
		fmt.Fprintf(b, "There is no organisation %s in the ledger to judge.\n", code(a.Org))
		return
	}
	day := w.in.Today
	if a.Decision != nil && a.Decision.Date != 0 {
		day = a.Decision.Date
	}
	// Only the months the criteria look at are scored: the figures shown
	// are those months', as the whole ledger scores them.
	rules := ledger.DefaultPartnerRules
	if p := r.head.Program; p != nil {
		rules = p.Partners
	}
	months := map[ledger.Month]bool{}
	from, to := check.DecisionMonths(rules, day)
	for m := from; m <= to; m++ {
		months[m] = true
	}
	st := partner.NewEvaluator(score.OfMonths(r.head, r.headIx, months)).Evaluate(o, check.AsOfDecision(day))
	deciders, conflicted := r.deciders(a.Org, day)
	writeApplication(b, applicationEvidence{
		App: a, Status: st, Day: day, Deciders: deciders, Conflicted: conflicted,
		Override: check.OverrideNeeds(r.head, st, day),
	})
}

// reviews writes, and takes from needs, the reviews a file still needs,
// or done when it needs none.
func (w *commentWriter) reviews(file, done string) {
	ps := w.needs[file]
	delete(w.needs, file)
	if len(ps) == 0 {
		w.b.WriteString("\n" + done + "\n")
		return
	}
	w.b.WriteString("\n")
	for _, p := range ps {
		fmt.Fprintf(&w.b, "- **Needs**: %s `[%s]`\n", report.EscapeMarkdown(p.Message), p.Rule)
	}
}

// others writes who must approve the changes no section has shown.
func (w *commentWriter) others() {
	files := slices.Sorted(maps.Keys(w.needs))
	if len(files) == 0 {
		return
	}
	fmt.Fprintf(&w.b, "\n### Who must approve (%d)\n\n", len(files))
	for _, f := range files {
		for _, p := range w.needs[f] {
			fmt.Fprintf(&w.b, "- %s %s `[%s]`\n", w.link(f, f, 0), report.EscapeMarkdown(p.Message), p.Rule)
		}
	}
}

// link is text naming a file of the pull request, linked to its line at
// the head; a file the pull request removes, or one outside it, is not
// linked.
func (w *commentWriter) link(text, file string, line int) string {
	if w.in.BlobURL == "" || w.status[file] == 'D' || file == "" {
		return code(text)
	}
	var parts []string
	for _, p := range strings.Split(file, "/") {
		parts = append(parts, url.PathEscape(p))
	}
	u := w.in.BlobURL + strings.Join(parts, "/")
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return "[" + code(text) + "](" + u + ")"
}

// code writes text from the ledger as a code span, where nothing is
// markup, or as escaped text when it holds what would end the span.
func code(s string) string {
	if strings.ContainsAny(s, "`\r\n") {
		return report.EscapeMarkdown(s)
	}
	return "`" + s + "`"
}

// fit cuts Markdown at a line so that it fits maxComment, with a note
// that says so and where the rest is.
func fit(s, rest string) string {
	note := "\n\n*The rest is cut: GitHub takes at most 65,536 characters here. " + rest + "*\n"
	if len(s) <= maxComment {
		return s
	}
	cut := s[:maxComment-len(note)]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	return cut + note
}
