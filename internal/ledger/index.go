package ledger

import "strings"

// Index looks records up by id and resolves identities. Build it once per
// loaded ledger with NewIndex.
type Index struct {
	People map[string]*Person
	Orgs   map[string]*Organization
	// owners maps a lowercased "platform:handle" to the person who owns it.
	owners map[string]*Person
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
	return ix
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
		return ix.owners[IdentityKey(platform, handle)]
	}
	return ix.People[who]
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
