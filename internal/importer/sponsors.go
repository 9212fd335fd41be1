package importer

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// GitHubSponsors is the shard name of GitHub Sponsors payments.
const GitHubSponsors = "github-sponsors"

// gitHubPlatform is the accounts platform sponsors are matched on: a
// sponsor handle is a GitHub login.
const gitHubPlatform = "github"

// sponsorsColumns names each column the import reads in the GitHub
// Sponsors export (dashboard -> Your sponsors -> Export, CSV): its label,
// then the key of the JSON export, which reads the same once normalised.
var sponsorsColumns = struct {
	handle, id, amount, status, date, yearly, currency []string
}{
	handle:   []string{"Sponsor Handle", "sponsor_handle"},
	id:       []string{"Transaction ID", "transaction_id"},
	amount:   []string{"Processed Amount", "processed_amount"},
	status:   []string{"Status", "status"},
	date:     []string{"Transaction Date", "transaction_date"},
	yearly:   []string{"Is Yearly?", "is_yearly"},
	currency: []string{"Currency", "currency"},
}

// ReadSponsors reads a GitHub Sponsors CSV export. Only settled
// transactions count, for the amount actually processed (a prorated first
// month is less than the tier); GitHub Sponsors pays in US dollars. Ids
// are github-sponsors:<transaction id>; the payer is the sponsor's GitHub
// handle. A yearly sponsorship is noted as such, with months: 12: its one
// payment covers a year.
func ReadSponsors(r io.Reader, loc *time.Location) (*Export, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, fmt.Errorf("reading the GitHub Sponsors export: %w", err)
	}
	c := sponsorsColumns
	handle, id, amt, status, date := t.col(c.handle...), t.col(c.id...), t.col(c.amount...), t.col(c.status...), t.col(c.date...)
	yearly, currencyCol := t.col(c.yearly...), t.col(c.currency...)
	var missing []string
	for _, m := range []struct {
		i     int
		names []string
	}{{handle, c.handle}, {id, c.id}, {amt, c.amount}, {status, c.status}, {date, c.date}} {
		if m.i < 0 {
			missing = append(missing, fmt.Sprintf("%q", m.names[0]))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the GitHub Sponsors export has no column %s; export it from the sponsors dashboard (Your sponsors -> Export -> CSV)",
			strings.Join(missing, ", "))
	}
	e := &Export{Source: GitHubSponsors, Platform: gitHubPlatform, Rows: len(t.rows), Refunded: map[string]string{}}
	prefix := GitHubSponsors + ":"
	for i, row := range t.rows {
		line := t.lines[i]
		tx := get(row, id)
		full := ""
		if tx != "" {
			full = prefix + tx
		}
		skip := func(reason, detail string) {
			e.Skipped = append(e.Skipped, Skip{Line: line, ID: full, Reason: reason, Detail: detail})
		}
		if tx == "" {
			skip("no transaction id", "")
			continue
		}
		if st := strings.ToLower(get(row, status)); st != "settled" {
			if st == "refunded" {
				e.Refunded[full] = ""
			}
			skip("not settled", "status "+orDash(st))
			continue
		}
		currency := "USD"
		if s := strings.ToUpper(get(row, currencyCol)); s != "" {
			currency = s
		}
		a, why := amount(get(row, amt), currency)
		if why != "" {
			skip("not a payment", why)
			continue
		}
		d, ok := day(get(row, date), loc)
		if !ok {
			skip("no date", fmt.Sprintf("%q is not a date", get(row, date)))
			continue
		}
		payer := get(row, handle)
		if payer == "" || strings.ContainsAny(payer, " \t") {
			skip("no payer handle", "")
			continue
		}
		rec := Record{ID: full, Payer: payer, Amount: a, Currency: currency, Date: d, Line: line}
		if truthy(get(row, yearly)) {
			rec.Note, rec.Months = "yearly sponsorship", 12
		}
		e.Records = append(e.Records, rec)
	}
	return e, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
