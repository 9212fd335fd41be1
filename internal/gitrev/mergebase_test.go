package gitrev_test

import (
	"context"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

func TestMergeBase(t *testing.T) {
	r := gittest.New(t)
	r.Write("a", "1\n")
	fork := r.Commit("first")
	r.Git("checkout", "-q", "-b", "topic")
	r.Write("b", "2\n")
	topic := r.Commit("topic")
	r.Git("checkout", "-q", "-")
	r.Write("a", "3\n")
	main := r.Commit("main moves on")
	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := repo.MergeBase(context.Background(), main, topic); err != nil || got != fork {
		t.Errorf("MergeBase = %q, %v; want %s", got, err, fork)
	}
	if _, err := repo.MergeBase(context.Background(), main, "0123456789012345678901234567890123456789"); err == nil {
		t.Error("a commit the repository lacks has a merge base")
	}
}
