package check

import (
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkUniqueIDs(c *checker) {
	people := map[string]ledger.Loc{}
	for _, p := range c.l.People {
		if first, dup := people[p.ID]; dup {
			c.reportRepeat(p.File, p.Pos, "", first, "person id %q is used twice; rename one of the files", p.ID)
			continue
		}
		people[p.ID] = p.Loc
	}
	orgs := map[string]ledger.Loc{}
	for _, o := range c.l.Organizations {
		if first, dup := orgs[o.ID]; dup {
			c.reportRepeat(o.File, o.Pos, "", first, "organisation id %q is used twice; rename one of the files", o.ID)
			continue
		}
		orgs[o.ID] = o.Loc
	}
	credits := make(map[string]ledger.Loc, len(c.l.Credits))
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		if cr.ID == "" {
			continue
		}
		if strings.HasPrefix(cr.ID, "claim:") && c.places[cr.File].Kind == ledger.CreditsFile {
			c.report(cr.File, cr.IDPos, "id", "credit ids starting with \"claim:\" are reserved for claims; use the source's name as the prefix")
			continue
		}
		if first, dup := credits[cr.ID]; dup {
			c.reportRepeat(cr.File, cr.IDPos, "id", first, "credit id %q is used twice; ids are unique across the ledger, so remove the repeat", cr.ID)
			continue
		}
		credits[cr.ID] = ledger.Loc{File: cr.File, Pos: cr.IDPos}
	}
	payments := make(map[string]ledger.Loc, len(c.l.Payments))
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		if p.ID == "" {
			continue
		}
		if first, dup := payments[p.ID]; dup {
			c.reportRepeat(p.File, p.IDPos, "id", first, "payment id %q is used twice; ids are unique across the ledger, so remove the repeat", p.ID)
			continue
		}
		payments[p.ID] = ledger.Loc{File: p.File, Pos: p.IDPos}
	}
}

func checkIdentities(c *checker) {
	owner := map[string]ledger.Loc{}
	ownerID := map[string]string{}
	for _, p := range c.l.People {
		for _, id := range p.Identities {
			key := ledger.IdentityKey(id.Platform, id.Handle)
			if first, dup := owner[key]; dup && ownerID[key] != p.ID {
				c.reportRepeat(p.File, id.Pos, "identities."+id.Platform, first,
					"identity %s:%s already belongs to %s; an identity has one owner, so remove it from one of them", id.Platform, id.Handle, ownerID[key])
				continue
			}
			owner[key], ownerID[key] = ledger.Loc{File: p.File, Pos: id.Pos}, p.ID
		}
	}
}

func checkAccounts(c *checker) {
	owner := map[string]ledger.Loc{}
	ownerID := map[string]string{}
	for _, o := range c.l.Organizations {
		for _, a := range o.Accounts {
			key := ledger.IdentityKey(a.Platform, a.Handle)
			if first, dup := owner[key]; dup && ownerID[key] != o.ID {
				c.reportRepeat(o.File, a.Pos, "accounts."+a.Platform, first,
					"account %s:%s already belongs to %s; a payer account has one owner, so remove it from one of them", a.Platform, a.Handle, ownerID[key])
				continue
			}
			owner[key], ownerID[key] = ledger.Loc{File: o.File, Pos: a.Pos}, o.ID
		}
	}
}
