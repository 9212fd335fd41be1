package gitrev

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// A large prefetch is shared among several gits; every file still reads
// right, and closing the tree before reading everything stops them all
// without waiting.
func TestPrefetchShared(t *testing.T) {
	defer func(n, share int) { maxGits, minShare = n, share }(maxGits, minShare)
	maxGits, minShare = 3, 10
	if runtime.GOMAXPROCS(0) < 3 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	}
	r := gittest.New(t)
	for i := range 1000 {
		r.Write(fmt.Sprintf("people/p%04d.yaml", i), fmt.Sprintf("name: Person %d\n", i))
	}
	rev := r.Commit("people")
	repo, _, err := Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree(context.Background(), rev, "", TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tree.Prefetch(nil)
	if len(tree.helpers) != 2 {
		t.Errorf("%d helper gits, want 2", len(tree.helpers))
	}
	for i := range 1000 {
		p := fmt.Sprintf("people/p%04d.yaml", i)
		if b, err := fs.ReadFile(tree, p); err != nil || string(b) != fmt.Sprintf("name: Person %d\n", i) {
			t.Fatalf("%s: %q, %v", p, b, err)
		}
	}
	tree.Close()

	// Asked for while listing.
	tree, err = repo.Tree(context.Background(), rev, "", TreeOptions{Prefetch: func(p string) bool { return p < "people/p0500" }})
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, b := range tree.ahead {
		if b != nil {
			asked++
		}
	}
	if asked != 500 {
		t.Errorf("%d files asked for while listing, want 500", asked)
	}
	for i := range 1000 {
		p := fmt.Sprintf("people/p%04d.yaml", i)
		if b, err := fs.ReadFile(tree, p); err != nil || string(b) != fmt.Sprintf("name: Person %d\n", i) {
			t.Fatalf("%s: %q, %v", p, b, err)
		}
	}
	tree.Close()

	tree, err = repo.Tree(context.Background(), rev, "", TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tree.Prefetch(nil)
	tree.Close() // with most answers not read: no wait, no hang
	if b, err := fs.ReadFile(tree, "people/p0999.yaml"); err == nil && string(b) != "name: Person 999\n" {
		t.Errorf("a closed tree reads %q", b) // an answer that came in time is fine
	}
}
