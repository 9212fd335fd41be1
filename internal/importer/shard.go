package importer

import (
	"fmt"
	"strconv"

	"github.com/tallyledger/tally/internal/ledger"
)

const fundingSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/funding.schema.json"

// paymentEntry is a payment as a funding shard's entry.
func paymentEntry(a Added, source string) ledger.ShardEntry {
	return ledger.ShardEntry{Date: a.Date, ID: a.ID, Fields: paymentFields(a, source)}
}

// renderPayment writes one payment as a list item.
func renderPayment(a Added, source, ind string, flow bool, nl string) string {
	return ledger.RenderEntry(paymentFields(a, source), ind, flow, nl)
}

// paymentFields are a payment's fields in the order they are written.
func paymentFields(a Added, source string) [][2]string {
	kv := [][2]string{{"id", ledger.Scalar(a.ID)}}
	if a.Org != "" {
		kv = append(kv, [2]string{"org", ledger.Scalar(a.Org)})
	} else {
		kv = append(kv, [2]string{"payer", ledger.Scalar(a.Payer)})
	}
	kv = append(kv,
		[2]string{"amount", fmt.Sprintf("%q", a.Amount)},
		[2]string{"currency", a.Currency},
		[2]string{"date", a.Date.String()},
		[2]string{"source", ledger.Scalar(source)})
	if a.Note != "" {
		kv = append(kv, [2]string{"note", ledger.Scalar(a.Note)})
	}
	if a.Months > 1 {
		kv = append(kv, [2]string{"months", strconv.Itoa(a.Months)})
	}
	return kv
}
