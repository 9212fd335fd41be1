package partner

import (
	"math/big"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
)

// USDCents converts an amount to US cents with the thresholds' rates, as
// the payment criterion converts it, rounded half away from zero; false
// when the currency has no rate.
func USDCents(t *ledger.Thresholds, amount money.Amount, currency string) (int64, bool) {
	rate, ok := usdRates(t)[currency]
	if !ok {
		return 0, false
	}
	// amount / Scale / rate dollars, × 100 cents.
	cents := new(big.Rat).SetFrac64(int64(amount)*100, money.Scale)
	cents.Quo(cents, rate)
	n, rem := new(big.Int).QuoRem(cents.Num(), cents.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(cents.Denom()) >= 0 {
		n.Add(n, big.NewInt(1)) // amounts are never negative
	}
	return n.Int64(), true
}
