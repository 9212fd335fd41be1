package check

import (
	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
)

func checkMoney(c *checker) {
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		c.amount(p.File, p.AmountPos, p.CurrencyPos, "", p.Amount, p.Currency)
	}
	for _, r := range c.l.Roadmap {
		if f := r.Funding; f != nil {
			c.amount(r.File, f.Pos, f.Pos, "funding.", f.Amount, f.Currency)
		}
	}
	if t := c.l.Thresholds; t != nil {
		c.currency(t.File, t.Pos, "base.currency", t.Base.Currency)
		for _, country := range sortedKeys(t.Minimums) {
			m := t.Minimums[country]
			c.currency(t.File, m.Pos, "minimums."+country+".currency", m.Currency)
		}
		for _, cur := range sortedKeys(t.Rates) {
			c.currency(t.File, t.Pos, "rates."+cur, cur)
		}
	}
}

// amount checks a positive amount in a known currency, written with no
// more decimals than the currency has (no fractions of a yen).
func (c *checker) amount(file ledger.FileID, at, curAt ledger.Pos, prefix string, a money.Amount, currency string) {
	if currency == "" {
		return // the schema reports it missing
	}
	minor, ok := c.currency(file, curAt, prefix+"currency", currency)
	if a <= 0 {
		c.report(file, at, prefix+"amount", "amount must be more than zero")
		return
	}
	if ok && a.Decimals() > minor {
		c.report(file, at, prefix+"amount", "%s has %d decimals; %s has %d", a, a.Decimals(), currency, minor)
	}
}

func (c *checker) currency(file ledger.FileID, at ledger.Pos, field, code string) (int, bool) {
	if code == "" {
		return 0, false
	}
	minor, ok := iso.Currency(code)
	if !ok {
		c.report(file, at, field, "%q is not an ISO 4217 currency code (such as USD, EUR, GBP)", code)
	}
	return minor, ok
}

func checkCountries(c *checker) {
	for _, o := range c.l.Organizations {
		c.country(o.File, o.CountryPos, "country", o.Country)
	}
	if t := c.l.Thresholds; t != nil {
		c.country(t.File, t.Pos, "base.country", t.Base.Country)
		for _, k := range sortedKeys(t.Minimums) {
			c.country(t.File, t.Minimums[k].Pos, "minimums."+k, k)
		}
		for _, k := range sortedKeys(t.Overrides) {
			c.country(t.File, t.Overrides[k].Pos, "overrides."+k, k)
		}
	}
}

func (c *checker) country(file ledger.FileID, at ledger.Pos, field, code string) {
	if code == "" {
		return
	}
	if _, ok := iso.Country(code); !ok {
		c.report(file, at, field, "%q is not an ISO 3166-1 alpha-2 country code (such as GB, DE, US)", code)
	}
}
