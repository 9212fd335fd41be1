package check

import (
	"fmt"

	"github.com/tallyledger/tally/internal/ledger"
)

// checkPrivacy keeps people out of conduct records: the ledger is public.
// A record in the old form, which names a person, still counts; the
// finding says how to write it instead.
func checkPrivacy(c *checker) {
	for _, k := range c.l.Conduct {
		switch {
		case k.Outcome == "dismissed":
			c.report(k.File, k.OutcomePos, "outcome", "dismissed reports are not recorded: the ledger is public; delete this file")
		case k.Person.ID != "":
			c.report(k.File, k.Person.Pos, "person", "conduct records are public and must not name a person: %s", rewriteConduct(k, c.ix))
		}
	}
}

// rewriteConduct says how to write a record that names a person so that it
// names only the organisations it counts against.
func rewriteConduct(k *ledger.Conduct, ix *ledger.Index) string {
	who, on := k.Person.ID, k.Date.String()
	if ix.People[who] == nil { // the reference rule reports it
		if k.Org.ID != "" {
			return fmt.Sprintf("remove `person: %s` and set `member: true`", who)
		}
		return fmt.Sprintf("replace `person: %s` with `org: <the organisation %s worked for on %s>` and `member: true`", who, who, on)
	}
	against := k.Against(ix)
	if len(against) == 0 {
		return fmt.Sprintf("%s worked for no organisation on %s, so the record counts against none; delete this file", who, on)
	}
	msg := fmt.Sprintf("replace `person: %s` with `org: %s` (where %s worked on %s) and `member: true`", who, against[0].Org, who, on)
	if k.Org.ID != "" {
		msg = fmt.Sprintf("remove `person: %s` and set `member: true`", who)
	}
	if len(against) > 1 {
		msg += fmt.Sprintf("; it also counts against %s, where %s worked on %s: record that in a second file with `org: %s` and `member: true`",
			against[1].Org, who, on, against[1].Org)
	}
	return msg
}
