package check

import (
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkUniqueIDs(c *checker) {
	people := map[string]ledger.Loc{}
	for _, p := range c.l.People {
		if first, dup := people[p.ID]; dup {
			c.report(p.File, p.Pos, "", "person id %q is already used by %s; rename one of the files", p.ID, c.l.Files[first.File])
			continue
		}
		people[p.ID] = p.Loc
	}
	orgs := map[string]ledger.Loc{}
	for _, o := range c.l.Organizations {
		if first, dup := orgs[o.ID]; dup {
			c.report(o.File, o.Pos, "", "organisation id %q is already used by %s; rename one of the files", o.ID, c.l.Files[first.File])
			continue
		}
		orgs[o.ID] = o.Loc
	}
	credits := make(map[string]int32, len(c.l.Credits))
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		if cr.ID == "" || strings.HasPrefix(cr.ID, "claim:") {
			continue // claims' ids come from their unique paths
		}
		if first, dup := credits[cr.ID]; dup {
			f := &c.l.Credits[first]
			c.report(cr.File, cr.IDPos, "id", "credit id %q is already used at %s; ids are unique across the ledger, so remove the repeat",
				cr.ID, c.where(ledger.Loc{File: f.File, Pos: f.IDPos}))
			continue
		}
		credits[cr.ID] = int32(i)
	}
	payments := make(map[string]int32, len(c.l.Payments))
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		if p.ID == "" {
			continue
		}
		if first, dup := payments[p.ID]; dup {
			f := &c.l.Payments[first]
			c.report(p.File, p.IDPos, "id", "payment id %q is already used at %s; ids are unique across the ledger, so remove the repeat",
				p.ID, c.where(ledger.Loc{File: f.File, Pos: f.IDPos}))
			continue
		}
		payments[p.ID] = int32(i)
	}
}

func checkIdentities(c *checker) {
	owner := map[string]*ledger.Person{}
	for _, p := range c.l.People {
		for _, id := range p.Identities {
			key := ledger.IdentityKey(id.Platform, id.Handle)
			if first, dup := owner[key]; dup && first != p {
				c.report(p.File, id.Pos, "identities."+id.Platform,
					"identity %s:%s already belongs to %s (%s); an identity has one owner, so remove it from one of them",
					id.Platform, id.Handle, first.ID, c.l.Files[first.File])
				continue
			}
			owner[key] = p
		}
	}
}

func checkAccounts(c *checker) {
	owner := map[string]*ledger.Organization{}
	for _, o := range c.l.Organizations {
		for _, a := range o.Accounts {
			key := ledger.IdentityKey(a.Platform, a.Handle)
			if first, dup := owner[key]; dup && first != o {
				c.report(o.File, a.Pos, "accounts."+a.Platform,
					"account %s:%s already belongs to %s (%s); a payer account has one owner, so remove it from one of them",
					a.Platform, a.Handle, first.ID, c.l.Files[first.File])
				continue
			}
			owner[key] = o
		}
	}
}
