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
	logos := map[string]ledger.Loc{}
	for _, g := range c.l.Logos {
		if first, dup := logos[g.Org]; dup {
			c.reportRepeat(g.File, g.Pos, "", first, "%s has two logos; keep one, SVG or PNG", g.Org)
			continue
		}
		logos[g.Org] = g.Loc
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
	var handles []handle
	for _, p := range c.l.People {
		for _, id := range p.Identities {
			handles = append(handles, handle{id.Platform, id.Handle, p.ID, ledger.Loc{File: p.File, Pos: id.Pos}})
		}
	}
	c.oneOwner(handles, "identities", "identity", "an identity")
}

func checkAccounts(c *checker) {
	var handles []handle
	for _, o := range c.l.Organizations {
		for _, a := range o.Accounts {
			handles = append(handles, handle{a.Platform, a.Handle, o.ID, ledger.Loc{File: o.File, Pos: a.Pos}})
		}
	}
	c.oneOwner(handles, "accounts", "account", "a payer account")
}

// handle is an account on a platform, as one owner lists it.
type handle struct {
	platform, name, owner string
	at                    ledger.Loc
}

// oneOwner reports handles (case-insensitive) listed by two owners.
func (c *checker) oneOwner(handles []handle, field, what, oneWhat string) {
	first := map[string]handle{}
	for _, h := range handles {
		key := ledger.IdentityKey(h.platform, h.name)
		f, dup := first[key]
		if !dup {
			first[key] = h
			continue
		}
		if f.owner != h.owner {
			c.reportRepeat(h.at.File, h.at.Pos, field+"."+h.platform, f.at,
				"%s %s:%s already belongs to %s; %s has one owner, so remove it from one of them", what, h.platform, h.name, f.owner, oneWhat)
		}
	}
}
