package ledger

import (
	"slices"
	"strings"
)

// ClaimReviewers are the people who review claims of a kind of an area:
// its team leads; for a kind without an area, every team lead and member
// of the leadership. who names them in a sentence.
func (p *Program) ClaimReviewers(area string) (ids []Ref, who string) {
	for _, ta := range p.TeamLeads {
		if area == "" || ta.Area == area {
			ids = append(ids, ta.Leads...)
		}
	}
	if area == "" {
		return append(ids, p.Leadership...), "a team lead or a member of the leadership"
	}
	return ids, "a lead of the " + area + " area"
}

// GitHubLogins are a person's GitHub logins, lowercased, sorted.
func (p *Person) GitHubLogins() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, id := range p.Identities {
		if strings.EqualFold(id.Platform, "github") {
			out = append(out, strings.ToLower(id.Handle))
		}
	}
	slices.Sort(out)
	return out
}
