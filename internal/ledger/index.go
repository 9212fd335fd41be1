package ledger

import "strings"

// Index looks records up by id and resolves identities. Build it once per
// loaded ledger with NewIndex.
type Index struct {
	People map[string]*Person
	Orgs   map[string]*Organization
	// Logos maps an organisation id to its logo.
	Logos map[string]*Logo
	// owners maps a lowercased "platform:handle" to the person who owns it.
	owners map[string]*Person
	// approvals lists each organisation's approval dates.
	approvals map[string][]Date
}

// NewIndex indexes people, organisations and identities. When two records
// claim the same id or identity the first in path order wins; the checks
// report the conflict.
func NewIndex(l *Ledger) *Index {
	ix := &Index{
		People: make(map[string]*Person, len(l.People)),
		Orgs:   make(map[string]*Organization, len(l.Organizations)),
		owners: make(map[string]*Person, len(l.People)),
	}
	for _, p := range l.People {
		if _, dup := ix.People[p.ID]; !dup {
			ix.People[p.ID] = p
		}
		for _, id := range p.Identities {
			key := IdentityKey(id.Platform, id.Handle)
			if _, dup := ix.owners[key]; !dup {
				ix.owners[key] = p
			}
		}
	}
	for _, o := range l.Organizations {
		if _, dup := ix.Orgs[o.ID]; !dup {
			ix.Orgs[o.ID] = o
		}
	}
	ix.Logos = make(map[string]*Logo, len(l.Logos))
	for _, g := range l.Logos {
		if _, dup := ix.Logos[g.Org]; !dup {
			ix.Logos[g.Org] = g
		}
	}
	ix.approvals = map[string][]Date{}
	for _, a := range l.Applications {
		if d := a.Decision; d != nil && d.Outcome == "approved" && d.Date != 0 {
			ix.approvals[a.Org] = append(ix.approvals[a.Org], d.Date)
		}
	}
	return ix
}

// PartnerOn tells whether an organisation is a partner on a date: it has an
// approved application decided on or before the date, and its partnership
// has not ended since the latest such approval.
func (ix *Index) PartnerOn(org string, d Date) bool {
	latest := ix.ApprovedBy(org, d)
	if latest == 0 {
		return false
	}
	o := ix.Orgs[org]
	return o == nil || o.Ended == 0 || o.Ended < latest || o.Ended > d
}

// ApprovedBy returns the date of an organisation's latest approval on or
// before a date, or 0 when it has none.
func (ix *Index) ApprovedBy(org string, d Date) Date {
	var latest Date
	for _, a := range ix.approvals[org] {
		if a <= d {
			latest = max(latest, a)
		}
	}
	return latest
}

// IdentityKey is how identities compare: platforms and handles are case
// insensitive (GitHub logins are).
func IdentityKey(platform, handle string) string {
	return strings.ToLower(platform) + ":" + strings.ToLower(handle)
}

// Resolve finds the person a credit's "who" names: a person id, or a
// "platform:handle" identity. It returns nil for an identity nobody owns
// (such contributors rank as themselves) and for an unknown person id.
func (ix *Index) Resolve(who string) *Person {
	if platform, handle, ok := strings.Cut(who, ":"); ok {
		if lowerASCII(who) { // already its key: spare a copy per credit author
			return ix.owners[who]
		}
		return ix.owners[IdentityKey(platform, handle)]
	}
	return ix.People[who]
}

// lowerASCII tells whether s is ASCII without capitals, which lowercasing
// leaves as it is.
func lowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// AffiliationOn returns the organisation a person worked for on a date, or
// "" when none.
func (p *Person) AffiliationOn(d Date) string {
	for _, a := range p.Affiliations {
		if a.From <= d && (a.Until == 0 || d < a.Until) {
			return a.Org.ID
		}
	}
	return ""
}
