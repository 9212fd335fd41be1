package check

import (
	"maps"
	"slices"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/partner"
)

// checkMoney checks currencies, decimals and monthly sums; the schemas
// already demand that amounts are positive decimals below money.Limit.
func checkMoney(c *checker) {
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		c.amount(p.File, p.AmountPos, p.CurrencyPos, "", p.Amount, p.Currency)
	}
	for _, o := range partner.PaymentsOverLimit(c.l) {
		p, rate := o.Payment, ""
		if p.Currency != "USD" {
			rate = " and thresholds.yaml's rate for " + p.Currency
		}
		c.report(p.File, p.AmountPos, "amount", "with this payment %s's payments for %s add up to %s US dollars or more, more than tally counts; check the amounts%s",
			o.Org, o.Month, moneyLimitWords, rate)
	}
	for _, r := range c.l.Roadmap {
		if f := r.Funding; f != nil {
			c.amount(r.File, f.AmountPos, f.CurrencyPos, "funding.", f.Amount, f.Currency)
		}
	}
	if t := c.l.Thresholds; t != nil {
		c.currency(t.File, t.Base.CurrencyPos, "base.currency", t.Base.Currency)
		for _, country := range slices.Sorted(maps.Keys(t.Minimums)) {
			m := t.Minimums[country]
			c.currency(t.File, m.CurrencyPos, "minimums."+country+".currency", m.Currency)
		}
		if m := t.EuroArea; m != nil {
			c.currency(t.File, m.CurrencyPos, "euro_area.currency", m.Currency)
		}
		for _, cur := range slices.Sorted(maps.Keys(t.Rates)) {
			c.currency(t.File, t.Rates[cur].KeyPos, "rates."+cur, cur)
		}
	}
}

// amount checks that an amount is in a known currency and written with no
// more decimals than the currency has (no fractions of a yen).
func (c *checker) amount(file ledger.FileID, at, curAt ledger.Pos, prefix string, a money.Amount, currency string) {
	minor, ok := c.currency(file, curAt, prefix+"currency", currency)
	if !ok || a <= 0 || a.Decimals() <= minor {
		return
	}
	if minor == 0 {
		c.report(file, at, prefix+"amount", "%s has no minor unit; write a whole amount", currency)
		return
	}
	c.report(file, at, prefix+"amount", "%s has %d decimals; round the amount to %d", currency, minor, minor)
}

func (c *checker) currency(file ledger.FileID, at ledger.Pos, field, code string) (int, bool) {
	if code == "" {
		return 0, false // the schema reports it missing
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
		c.country(t.File, t.Base.CountryPos, "base.country", t.Base.Country)
		for _, k := range slices.Sorted(maps.Keys(t.Minimums)) {
			c.country(t.File, t.Minimums[k].KeyPos, "minimums."+k, k)
		}
		for _, k := range slices.Sorted(maps.Keys(t.Overrides)) {
			c.country(t.File, t.Overrides[k].KeyPos, "overrides."+k, k)
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
