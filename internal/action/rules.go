package action

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
)

// reviewRules decide whether the pull request's author and approvals allow
// each changed file. Leads, the leadership and their GitHub identities
// come from the base ledger.
type reviewRules struct {
	pr PullRequest
	// fromReportRun is set for the monthly run's own pull request.
	fromReportRun bool
	// ownRules is set when the base has no ledger: base is the pull
	// request's own.
	ownRules       bool
	base, head     *ledger.Ledger
	baseIx, headIx *ledger.Index
	approved       map[string]bool // lowercased logins
}

func (r *reviewRules) change(c gitrev.Change) []Problem {
	place, err := ledger.Classify(c.Path)
	if err != nil {
		place.Kind = ledger.Unknown // validation says why, unless the loader skips it
	}
	switch place.Kind {
	case ledger.ProgramFile, ledger.ThresholdsFile:
		return r.needLeadership(c.Path, fmt.Sprintf("a change to %s", c.Path))
	case ledger.PersonFile:
		// Identities decide whose review counts and whose credits are
		// whose; a person's bot and visibility decide what is counted.
		return r.needLeadership(c.Path, fmt.Sprintf("a change to %s (identities decide who a reviewer is)", c.Path))
	case ledger.OrganizationFile, ledger.LogoFile, ledger.ConductFile:
		return r.needLeadership(c.Path, fmt.Sprintf("a change to %s (organisations and conduct decide eligibility)", c.Path))
	case ledger.ClaimFile:
		l := r.head
		if c.Status == 'D' {
			l = r.base
		}
		claim := findClaim(l, c.Path)
		if claim == nil {
			return nil // unreadable: validation says why
		}
		return r.claim(c, claim, l)
	case ledger.ApplicationFile:
		return r.application(c)
	case ledger.CreditsFile, ledger.FundingFile, ledger.SourceFile:
		// Written by ingestion and imports: edited by hand, a credit would
		// skip the review a claim gets.
		if r.fromReportRun {
			return nil
		}
		return r.needLeadership(c.Path, fmt.Sprintf("a change to %s (written by ingestion and imports)", c.Path))
	case ledger.RoadmapFile:
		return r.roadmap(c.Path, place.Dir)
	case ledger.NoteFile:
		return r.needLeadership(c.Path, fmt.Sprintf("a change to %s (notes go into the reports as written)", c.Path))
	}
	// Fail closed: what no rule knows (a file out of place, or one the
	// loader skips, as its name starts with a dot) is the leadership's.
	return r.needLeadership(c.Path, fmt.Sprintf("a change to %s, which no other rule covers,", c.Path))
}

func findClaim(l *ledger.Ledger, p string) *ledger.Credit {
	id := "claim:" + strings.TrimSuffix(strings.TrimPrefix(p, "claims/"), ".yaml")
	for i := range l.Credits {
		if l.Credits[i].ID == id {
			return &l.Credits[i]
		}
	}
	return nil
}

// claim: the claimant's own or a lead's, and approved by a lead of the
// kind's area who is not the claimant (opening it counts as approving).
func (r *reviewRules) claim(c gitrev.Change, claim *ledger.Credit, l *ledger.Ledger) []Problem {
	area, known := r.area(claim.Kind, claim.Date)
	if !known {
		return nil // the kind is not in the base rules: validation says so
	}
	leads, who := r.leads(area)
	claimant := r.claimantLogins(claim.Who)
	at := func(pos ledger.Pos, rule, msg string) Problem {
		if c.Status == 'D' {
			pos = ledger.Pos{} // the line is in the base, not in the pull request
		}
		return Problem{File: c.Path, Line: int(pos.Line), Col: int(pos.Col), Rule: rule, Message: msg}
	}
	var out []Problem
	author := strings.ToLower(r.pr.Author)
	if !slices.Contains(claimant, author) && !slices.Contains(leads, author) {
		out = append(out, at(claim.WhoPos, "claim-author", fmt.Sprintf(
			"this claim is for %s%s, but the pull request is by @%s, who is neither the claimant nor %s; the claimant or a lead opens it",
			claim.Who, handles(" (", claimant, ")"), r.pr.Author, who)))
	}
	var eligible []string
	for _, lead := range leads {
		if !slices.Contains(claimant, lead) {
			eligible = append(eligible, lead)
		}
	}
	// GitHub does not let authors approve their own pull request: a lead
	// who opens a claim for someone else has approved it by opening it.
	if !slices.ContainsFunc(eligible, func(l string) bool { return r.approved[l] || l == author }) {
		msg := fmt.Sprintf("needs an approving review from %s who is not the claimant", who)
		if len(eligible) == 0 {
			msg += "; none has a GitHub identity in the base branch's people/ other than the claimant: add one (identities: {github: LOGIN})"
		} else {
			msg += ": " + handles("", eligible, "")
		}
		p := at(claim.Pos, "claim-review", msg)
		p.Reviewers = eligible
		out = append(out, p)
	}
	return out
}

// area is the area of a kind on a date in the base rules; known is false
// when the base rules do not define the kind.
func (r *reviewRules) area(kind string, d ledger.Date) (area string, known bool) {
	rule, ok := r.base.Program.KindOn(kind, d)
	return rule.Area, ok
}

// leads returns the logins that may review claims of an area, and how to
// name them. A kind without an area may be reviewed by any team lead or
// member of the leadership.
func (r *reviewRules) leads(area string) (logins []string, who string) {
	ids, who := r.base.Program.ClaimReviewers(area)
	return r.logins(ids), who
}

// logins are the GitHub logins of people of the base ledger, lowercased,
// sorted.
func (r *reviewRules) logins(ids []ledger.Ref) []string {
	var out []string
	for _, id := range ids {
		out = append(out, r.baseIx.People[id.ID].GitHubLogins()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// claimantLogins are the GitHub logins a claim's who stands for, in the
// base ledger when it knows the person (so that a pull request cannot
// give someone else's record its author's login), else in the pull
// request's.
func (r *reviewRules) claimantLogins(who string) []string {
	ix := r.baseIx
	if ix.Resolve(who) == nil {
		ix = r.headIx
	}
	return identityLogins(who, ix)
}

// identityLogins are the GitHub logins who (platform:handle or a person
// id) stands for in ix: the handle of a github: identity, and the logins
// of the person it resolves to; lowercased, sorted.
func identityLogins(who string, ix *ledger.Index) []string {
	var out []string
	if platform, handle, ok := strings.Cut(who, ":"); ok && strings.EqualFold(platform, "github") {
		out = append(out, strings.ToLower(handle))
	}
	out = append(out, ix.Resolve(who).GitHubLogins()...)
	slices.Sort(out)
	return slices.Compact(out)
}

// leadership are the leadership's logins, and whether one of them other
// than the author approved.
func (r *reviewRules) leadership() (logins []string, approved bool) {
	if r.base.Program != nil {
		logins = r.logins(r.base.Program.Leadership)
	}
	author := strings.ToLower(r.pr.Author)
	return logins, slices.ContainsFunc(logins, func(l string) bool { return r.approved[l] && l != author })
}

// leadershipReview names the review of the leadership that is missing.
func (r *reviewRules) leadershipReview(leaders []string) string {
	who, people := "the leadership", "the base branch's people/"
	if r.ownRules {
		who, people = "the leadership this pull request names (the base branch has no ledger to judge it by)", "its people/"
	}
	if len(leaders) == 0 {
		return fmt.Sprintf("an approving review from %s; no member of the leadership has a GitHub identity in %s", who, people)
	}
	return fmt.Sprintf("an approving review from %s: %s", who, handles("", leaders, ""))
}

// needLeadership asks for an approving review from the leadership.
func (r *reviewRules) needLeadership(file, what string) []Problem {
	leaders, ok := r.leadership()
	if ok {
		return nil
	}
	return []Problem{{File: file, Rule: "rules-review", Message: what + " needs " + r.leadershipReview(leaders), Reviewers: leaders}}
}

// roadmap: a submission speaks for its organisation and uses up its
// yearly quota, so it is the organisation's to add, edit or remove: its
// contact opens or approves the pull request, or the leadership approves
// it. Its status is the project's answer: changing it (or removing a
// submission that has one) needs the leadership.
func (r *reviewRules) roadmap(file, org string) []Problem {
	if roadmapStatus(r.base, file) != roadmapStatus(r.head, file) {
		return r.needLeadership(file, fmt.Sprintf("a change to the status of %s (the project's answer to the submission)", file))
	}
	contact := r.orgContact(org)
	author := strings.ToLower(r.pr.Author)
	leaders, ok := r.leadership()
	if ok || slices.ContainsFunc(contact, func(l string) bool { return l == author || r.approved[l] }) {
		return nil
	}
	msg := fmt.Sprintf("a change to %s (a roadmap submission of %s, counted in its yearly quota) needs ", file, org)
	if len(contact) > 0 {
		msg += handles("", contact, "") + ", the contact of its latest approved application, to open or approve the pull request, or "
	}
	msg += r.leadershipReview(leaders)
	if len(contact) == 0 {
		msg += fmt.Sprintf(" (%s has no approved application in the base branch to name its contact)", org)
	}
	return []Problem{{File: file, Rule: "roadmap-review", Message: msg, Reviewers: append(contact, leaders...)}}
}

// orgContact is who speaks for an organisation: the GitHub logins of the
// contact of its latest approved application in the base ledger, the one
// by which the leadership made it a partner. An organisation's own
// accounts are payers on payment platforms, not people who review.
func (r *reviewRules) orgContact(org string) []string {
	var latest *ledger.Application
	for _, a := range r.base.Applications {
		if a.Org == org && a.Decision != nil && a.Decision.Outcome == "approved" && (latest == nil || a.Decision.Date >= latest.Decision.Date) {
			latest = a
		}
	}
	if latest == nil {
		return nil
	}
	return identityLogins(latest.Contact.ID, r.baseIx)
}

// application: a decision added or changed needs an approving review from
// every member of the leadership it names, none of them affiliated with
// the applicant on the decision's date; removing a decision, or the
// contact of a decided application, needs the leadership.
func (r *reviewRules) application(c gitrev.Change) []Problem {
	before, after := findApplication(r.base, c.Path), findApplication(r.head, c.Path)
	var was *ledger.Decision
	if before != nil {
		was = before.Decision
	}
	// A decided application is the leadership's: those asked to review
	// are the members who could have decided it.
	leadership := func(what string) []Problem {
		out := r.needLeadership(c.Path, what)
		for i := range out {
			out[i].Reviewers, _ = r.deciders(before.Org, was.Date)
		}
		return out
	}
	if c.Status == 'D' {
		if was != nil {
			return leadership("removing a decided application")
		}
		return nil
	}
	if after == nil {
		return nil // unreadable: validation says why
	}
	var out []Problem
	if was != nil && after.Contact.ID != before.Contact.ID {
		// The contact speaks for the organisation, as for its roadmap.
		out = leadership("a change to the contact of a decided application")
	}
	switch {
	case after.Decision == nil:
		if was != nil {
			out = append(out, leadership("removing an application's decision")...)
		}
		return out
	case was != nil && sameDecision(was, after.Decision):
		return out
	}
	d := after.Decision
	for _, by := range d.By {
		p := r.baseIx.People[by.ID]
		at := func(rule, msg string) Problem {
			return Problem{File: c.Path, Line: int(by.Pos.Line), Col: int(by.Pos.Col), Rule: rule, Message: msg}
		}
		if p == nil {
			out = append(out, at("decision-review", fmt.Sprintf("%s decides this application but is not in the base branch's people/, so their review cannot be checked", by.ID)))
			continue
		}
		logins := p.GitHubLogins()
		// The leader who opens the pull request cannot approve it on
		// GitHub: naming themselves in decision.by is their approval.
		author := strings.ToLower(r.pr.Author)
		if !slices.ContainsFunc(logins, func(l string) bool { return r.approved[l] || l == author }) {
			msg := fmt.Sprintf("%s is named in decision.by and must approve the pull request", by.ID)
			if len(logins) == 0 {
				msg += "; they have no GitHub identity in people/ to review with"
			} else {
				msg += ": " + handles("", logins, "")
			}
			p := at("decision-review", msg)
			p.Reviewers = logins
			out = append(out, p)
		}
		// The checks already judge the pull request's own affiliations;
		// an affiliation the pull request removes is judged here.
		if org := p.AffiliationOn(d.Date); org == after.Org {
			if hp := r.headIx.People[by.ID]; hp == nil || hp.AffiliationOn(d.Date) != org {
				out = append(out, at("decision-review", fmt.Sprintf("%s works for %s on %s (in the base branch's people/), so may not decide its application", by.ID, org, d.Date)))
			}
		}
	}
	return out
}

// deciders are the GitHub logins (lowercased, sorted) of the leadership
// who may decide an application of org on day, and the ids of those who
// may not: they work for org then, in the base branch's people/ or in the
// pull request's.
func (r *reviewRules) deciders(org string, day ledger.Date) (logins, conflicted []string) {
	if r.base.Program == nil {
		return nil, nil
	}
	for _, ref := range r.base.Program.Leadership {
		if r.worksFor(ref.ID, org, day) {
			conflicted = append(conflicted, ref.ID)
			continue
		}
		logins = append(logins, r.baseIx.People[ref.ID].GitHubLogins()...)
	}
	slices.Sort(logins)
	return slices.Compact(logins), conflicted
}

func (r *reviewRules) worksFor(id, org string, day ledger.Date) bool {
	for _, ix := range []*ledger.Index{r.baseIx, r.headIx} {
		if p := ix.People[id]; p != nil && p.AffiliationOn(day) == org {
			return true
		}
	}
	return false
}

func findApplication(l *ledger.Ledger, p string) *ledger.Application {
	for _, a := range l.Applications {
		if isFile(l, a.File, p) {
			return a
		}
	}
	return nil
}

// roadmapStatus is the status of the submission in the file p: a
// submission that is not there is as one just submitted.
func roadmapStatus(l *ledger.Ledger, p string) string {
	for _, r := range l.Roadmap {
		if isFile(l, r.File, p) {
			return cmp.Or(r.Status, "submitted")
		}
	}
	return "submitted"
}

func isFile(l *ledger.Ledger, f ledger.FileID, p string) bool {
	return int(f) < len(l.Files) && l.Files[f] == p
}

// sameDecision tells whether two decisions say the same, wherever they
// are written: every field but the positions counts.
func sameDecision(a, b *ledger.Decision) bool {
	return reflect.DeepEqual(unplaced(a), unplaced(b))
}

func unplaced(d *ledger.Decision) ledger.Decision {
	u := *d
	u.Pos, u.DatePos = ledger.Pos{}, ledger.Pos{}
	u.By = slices.Clone(d.By)
	for i := range u.By {
		u.By[i].Pos = ledger.Pos{}
	}
	return u
}

// handles writes logins as @mentions between prefix and suffix, or
// nothing when there are none.
func handles(prefix string, logins []string, suffix string) string {
	if len(logins) == 0 {
		return ""
	}
	at := make([]string, len(logins))
	for i, l := range logins {
		at[i] = "@" + l
	}
	return prefix + strings.Join(at, ", ") + suffix
}
