package importer

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// OpenCollective is the shard name of Open Collective payments and the
// accounts platform their payers are matched on.
const OpenCollective = "opencollective"

// The columns the import reads, as indexes into openCollectiveColumns.
const (
	ocShortID = iota
	ocID
	ocLegacyID
	ocDatetime
	ocDate
	ocType
	ocKind
	ocIsRefund
	ocIsRefunded
	ocShortRefundID
	ocRefundID
	ocAmount
	ocCurrency
	ocPayer
	ocPayerName
	ocService
	ocDescription
	ocFrequency
	ocColumns
)

// openCollectiveColumns names each column the import reads in the
// transactions CSV (https://rest.opencollective.com/v2/{slug}/transactions.csv):
// its raw key first, then its label (the export with ?useFieldNames=1).
var openCollectiveColumns = [ocColumns][]string{
	ocShortID:       {"shortId", "Short Transaction ID"},
	ocID:            {"id", "Transaction GraphQL ID"},
	ocLegacyID:      {"legacyId", "Transaction ID"},
	ocDatetime:      {"datetime", "Date & Time"},
	ocDate:          {"date", "Date"},
	ocType:          {"type", "Credit/Debit"},
	ocKind:          {"kind", "Kind"},
	ocIsRefund:      {"isRefund", "Is Refund", "isReverse", "Is Reverse"},
	ocIsRefunded:    {"isRefunded", "Is Refunded", "isReversed", "Is Reversed"},
	ocShortRefundID: {"shortRefundId", "Short Refund Transaction ID"},
	ocRefundID:      {"refundId", "Refund ID", "reverseId"},
	ocAmount:        {"amount", "Gross Amount"},
	ocCurrency:      {"currency", "Currency"},
	ocPayer:         {"oppositeAccountSlug", "Opposite Account Handle"},
	ocPayerName:     {"oppositeAccountName", "Opposite Account Name"},
	ocService:       {"paymentMethodService", "Payment Processor"},
	ocDescription:   {"description", "Description"},
	ocFrequency:     {"orderFrequency", "Contribution Frequency"},
}

// openCollectiveRequired are the columns an export must have: one column
// of each group, which its first names.
var openCollectiveRequired = [][]int{{ocShortID, ocID, ocLegacyID}, {ocDatetime, ocDate}, {ocType}, {ocKind}, {ocAmount}, {ocCurrency}, {ocPayer}}

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
	var col [ocColumns]int
	for i, names := range openCollectiveColumns {
		col[i] = t.col(names...)
	}
	var missing []string
	for _, group := range openCollectiveRequired {
		if !slices.ContainsFunc(group, func(i int) bool { return col[i] >= 0 }) {
			names := openCollectiveColumns[group[0]]
			missing = append(missing, fmt.Sprintf("%s (%q)", names[0], names[1]))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the Open Collective export has no column %s; export the transactions with the default fields",
			strings.Join(missing, ", "))
	}

	cell := func(row []string, c int) string { return get(row, col[c]) }

	e := &Export{Source: OpenCollective, Platform: OpenCollective, Rows: len(t.rows), Refunded: map[string]string{}}
	// A transaction's id: the short id the default export gives, which is
	// the first 8 characters of the full id, so that exports with either
	// give the same ledger id.
	idOf := func(row []string) string {
		if s := cell(row, ocShortID); s != "" {
			return s
		}
		if s := cell(row, ocID); s != "" {
			return first8(s)
		}
		return cell(row, ocLegacyID)
	}
	refundOf := func(row []string) string {
		if s := cell(row, ocShortRefundID); s != "" {
			return s
		}
		return first8(cell(row, ocRefundID))
	}
	prefix := OpenCollective + ":"

	// First pass: the refunds, which cancel the transactions they name.
	refundedBy := map[string]string{}
	for _, row := range t.rows {
		if truthy(cell(row, ocIsRefund)) {
			if orig := refundOf(row); orig != "" {
				refundedBy[orig] = idOf(row)
			}
		}
	}
	for i, row := range t.rows {
		line := t.lines[i]
		id := idOf(row)
		typ, kind := strings.ToUpper(cell(row, ocType)), strings.ToUpper(cell(row, ocKind))
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
		case truthy(cell(row, ocIsRefund)):
			detail := ""
			if orig := refundOf(row); orig != "" {
				detail = "of " + prefix + orig
				if kind == "CONTRIBUTION" {
					e.Refunded[prefix+orig] = prefix + id
				}
			}
			skip("a refund", detail)
		case paidThroughGitHubSponsors(cell(row, ocPayer), cell(row, ocPayerName), cell(row, ocService), cell(row, ocDescription)):
			skip("paid through GitHub Sponsors (tally import sponsors counts it)", "")
		case typ != "CREDIT" || kind != "CONTRIBUTION":
			skip("not an incoming contribution", typ+" "+kind)
		case truthy(cell(row, ocIsRefunded)) || refundedBy[id] != "":
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
			currency := strings.ToUpper(cell(row, ocCurrency))
			amt, why := amount(cell(row, ocAmount), currency)
			if why != "" {
				skip("not a payment", why)
				continue
			}
			when := cell(row, ocDatetime)
			if when == "" {
				when = cell(row, ocDate)
			}
			d, ok := day(when, loc)
			if !ok {
				skip("no date", fmt.Sprintf("%q is not a date", when))
				continue
			}
			payer := cell(row, ocPayer)
			if payer == "" || strings.ContainsAny(payer, " \t") {
				skip("no payer handle", cell(row, ocPayerName))
				continue
			}
			rec := Record{ID: prefix + id, Payer: payer, Amount: amt, Currency: currency, Date: d, Line: line}
			if strings.EqualFold(cell(row, ocFrequency), "YEARLY") {
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
