package importer

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// OpenCollective is the shard name of Open Collective payments and the
// accounts platform their payers are matched on.
const OpenCollective = "opencollective"

// openCollectiveColumns names each column the import reads in the
// transactions CSV (https://rest.opencollective.com/v2/{slug}/transactions.csv):
// its raw key first, then its label (the export with ?useFieldNames=1).
var openCollectiveColumns = struct {
	shortID, id, legacyID, datetime, date, typ, kind, isRefund, isRefunded, shortRefundID, refundID,
	amount, currency, payer, payerName, service, description, frequency []string
}{
	shortID:       []string{"shortId", "Short Transaction ID"},
	id:            []string{"id", "Transaction GraphQL ID"},
	legacyID:      []string{"legacyId", "Transaction ID"},
	datetime:      []string{"datetime", "Date & Time"},
	date:          []string{"date", "Date"},
	typ:           []string{"type", "Credit/Debit"},
	kind:          []string{"kind", "Kind"},
	isRefund:      []string{"isRefund", "Is Refund", "isReverse", "Is Reverse"},
	isRefunded:    []string{"isRefunded", "Is Refunded", "isReversed", "Is Reversed"},
	shortRefundID: []string{"shortRefundId", "Short Refund Transaction ID"},
	refundID:      []string{"refundId", "Refund ID", "reverseId"},
	amount:        []string{"amount", "Gross Amount"},
	currency:      []string{"currency", "Currency"},
	payer:         []string{"oppositeAccountSlug", "Opposite Account Handle"},
	payerName:     []string{"oppositeAccountName", "Opposite Account Name"},
	service:       []string{"paymentMethodService", "Payment Processor"},
	description:   []string{"description", "Description"},
	frequency:     []string{"orderFrequency", "Contribution Frequency"},
}

// gitHubSponsorsSlug is the Open Collective account through which GitHub
// Sponsors money is added to collectives; `tally import sponsors` counts
// those payments from GitHub's own export.
const gitHubSponsorsSlug = "github-sponsors"

// ReadOpenCollective reads an Open Collective transactions CSV export, in
// any of its header variants (raw keys or labels, any column order, with or
// without fee columns). Only incoming contributions count: CREDIT rows of
// kind CONTRIBUTION. A contribution that was refunded is left out with its
// refund; rows paid through GitHub Sponsors are left out, since the GitHub
// Sponsors import counts them. Amounts are the gross amount in the host's
// currency (`amount`, "Gross Amount"); the payer is the opposite account's
// handle; ids are opencollective:<short transaction id>.
func ReadOpenCollective(r io.Reader, loc *time.Location) (*Export, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, fmt.Errorf("reading the Open Collective export: %w", err)
	}
	if t.col("MemberId") >= 0 && t.col("totalAmountDonated") >= 0 {
		return nil, errors.New("this is Open Collective's members export; tally reads the transactions export (https://rest.opencollective.com/v2/<collective>/transactions.csv, or Transactions -> Export CSV)")
	}
	c := openCollectiveColumns
	col := struct {
		shortID, id, legacyID, datetime, date, typ, kind, isRefund, isRefunded, shortRefundID, refundID,
		amount, currency, payer, payerName, service, description, frequency int
	}{
		t.col(c.shortID...), t.col(c.id...), t.col(c.legacyID...), t.col(c.datetime...), t.col(c.date...),
		t.col(c.typ...), t.col(c.kind...), t.col(c.isRefund...), t.col(c.isRefunded...),
		t.col(c.shortRefundID...), t.col(c.refundID...), t.col(c.amount...), t.col(c.currency...),
		t.col(c.payer...), t.col(c.payerName...), t.col(c.service...), t.col(c.description...), t.col(c.frequency...),
	}
	var missing []string
	need := func(i int, names []string) {
		if i < 0 {
			missing = append(missing, fmt.Sprintf("%s (%q)", names[0], names[1]))
		}
	}
	if col.shortID < 0 && col.id < 0 && col.legacyID < 0 {
		need(-1, c.shortID)
	}
	if col.datetime < 0 && col.date < 0 {
		need(-1, c.datetime)
	}
	need(col.typ, c.typ)
	need(col.kind, c.kind)
	need(col.amount, c.amount)
	need(col.currency, c.currency)
	need(col.payer, c.payer)
	if len(missing) > 0 {
		return nil, fmt.Errorf("the Open Collective export has no column %s; export the transactions with the default fields",
			strings.Join(missing, ", "))
	}

	e := &Export{Source: OpenCollective, Platform: OpenCollective, Rows: len(t.rows), Refunded: map[string]string{}}
	// A transaction's id: the short id the default export gives, which is
	// the first 8 characters of the full id, so that exports with either
	// give the same ledger id.
	idOf := func(row []string) string {
		if s := get(row, col.shortID); s != "" {
			return s
		}
		if s := get(row, col.id); s != "" {
			return first8(s)
		}
		return get(row, col.legacyID)
	}
	refundOf := func(row []string) string {
		if s := get(row, col.shortRefundID); s != "" {
			return s
		}
		return first8(get(row, col.refundID))
	}
	prefix := OpenCollective + ":"

	// First pass: the refunds, which cancel the transactions they name.
	refundedBy := map[string]string{}
	for _, row := range t.rows {
		if truthy(get(row, col.isRefund)) {
			if orig := refundOf(row); orig != "" {
				refundedBy[orig] = idOf(row)
			}
		}
	}
	for i, row := range t.rows {
		line := t.lines[i]
		id := idOf(row)
		typ, kind := strings.ToUpper(get(row, col.typ)), strings.ToUpper(get(row, col.kind))
		skip := func(reason, detail string) {
			full := ""
			if id != "" {
				full = prefix + id
			}
			e.Skipped = append(e.Skipped, Skip{Line: line, ID: full, Reason: reason, Detail: detail})
		}
		switch {
		case id == "":
			skip("no transaction id", "")
		case truthy(get(row, col.isRefund)):
			detail := ""
			if orig := refundOf(row); orig != "" {
				detail = "of " + prefix + orig
				if kind == "CONTRIBUTION" {
					e.Refunded[prefix+orig] = prefix + id
				}
			}
			skip("a refund", detail)
		case paidThroughGitHubSponsors(get(row, col.payer), get(row, col.payerName), get(row, col.service), get(row, col.description)):
			skip("paid through GitHub Sponsors (tally import sponsors counts it)", "")
		case typ != "CREDIT" || kind != "CONTRIBUTION":
			skip("not an incoming contribution", typ+" "+kind)
		case truthy(get(row, col.isRefunded)) || refundedBy[id] != "":
			by := refundedBy[id]
			if by == "" {
				by = refundOf(row)
			}
			detail := ""
			if by != "" {
				detail = "by " + prefix + by
			}
			e.Refunded[prefix+id] = strings.TrimPrefix(detail, "by ")
			skip("refunded", detail)
		default:
			currency := strings.ToUpper(get(row, col.currency))
			amt, why := amount(get(row, col.amount), currency)
			if why != "" {
				skip("not a payment", why)
				continue
			}
			when := get(row, col.datetime)
			if when == "" {
				when = get(row, col.date)
			}
			d, ok := day(when, loc)
			if !ok {
				skip("no date", fmt.Sprintf("%q is not a date", when))
				continue
			}
			payer := get(row, col.payer)
			if payer == "" || strings.ContainsAny(payer, " \t") {
				skip("no payer handle", get(row, col.payerName))
				continue
			}
			rec := Record{ID: prefix + id, Payer: payer, Amount: amt, Currency: currency, Date: d, Line: line}
			if strings.EqualFold(get(row, col.frequency), "YEARLY") {
				rec.Note, rec.Months = "yearly contribution", 12
			}
			e.Records = append(e.Records, rec)
		}
	}
	return e, nil
}

// paidThroughGitHubSponsors tells a row whose money came through GitHub
// Sponsors: Open Collective adds it from its "github-sponsors" account.
func paidThroughGitHubSponsors(payer, payerName, service, description string) bool {
	return strings.EqualFold(payer, gitHubSponsorsSlug) ||
		strings.EqualFold(payerName, "GitHub Sponsors") ||
		strings.Contains(strings.ToLower(service), "github") ||
		strings.Contains(strings.ToLower(description), "github sponsors")
}

func first8(s string) string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}
