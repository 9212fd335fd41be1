package ledger_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// Loading a ledger in two parts and merging them gives what one load gives.
func TestMerge(t *testing.T) {
	whole, _, err := ledger.Load("../../ledger", ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []func(string) bool{
		func(p string) bool { return strings.HasPrefix(p, "credits/2025/") || strings.HasPrefix(p, "people/") },
		func(p string) bool { return strings.Contains(p, "a") },
		func(string) bool { return true },
	} {
		a, _, err := ledger.Load("../../ledger", ledger.Options{Include: part})
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := ledger.Load("../../ledger", ledger.Options{Include: func(p string) bool { return !part(p) }})
		if err != nil {
			t.Fatal(err)
		}
		credits := append([]ledger.Credit(nil), b.Credits...)
		var people []ledger.Person
		for _, p := range b.People {
			people = append(people, *p)
		}
		m := ledger.Merge(a, b)
		if !reflect.DeepEqual(m, whole) {
			t.Errorf("merged ledger differs from the whole: %d files, %d credits, %d people; want %d, %d, %d",
				len(m.Files), len(m.Credits), len(m.People), len(whole.Files), len(whole.Credits), len(whole.People))
		}
		for i, p := range b.People {
			if !reflect.DeepEqual(*p, people[i]) {
				t.Fatal("Merge changed a record of its input")
			}
		}
		if len(b.Credits) != len(credits) || len(credits) > 0 && !reflect.DeepEqual(b.Credits, credits) {
			t.Fatal("Merge changed a credit of its input")
		}
	}
}
