package gitrev_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

func TestFirstParent(t *testing.T) {
	r := gittest.New(t)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	var h gittest.History
	root := h.Commit(gittest.HistoryCommit{Author: "Ann <ann@example.org>", Committed: day(1), Message: "Start\n",
		Files: map[string]string{".mailmap": "Ann Lee <ann@example.org> <ann@old.example>\n"}})
	side := h.Commit(gittest.HistoryCommit{Branch: "topic", Author: "Ann Old <ann@old.example>", Committed: day(2), Message: "Side work\n", Parents: []int{root}})
	merge := h.Commit(gittest.HistoryCommit{Author: "Bo <bo@example.org>", Committed: day(3), Message: "Merge pull request #4 from acme/topic\n\nSide work\n", Parents: []int{root, side}})
	h.Commit(gittest.HistoryCommit{Author: "Cy <cy@example.org>", Authored: day(1), Committed: day(4), Message: "Line one\n\nLine three\n", Parents: []int{merge}})
	r.FastImport(h.String())
	r.Git("reset", "-q", "--hard", "main")

	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []*gitrev.Commit
	if err := repo.FirstParent(context.Background(), "HEAD", func(c *gitrev.Commit) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, c := range got {
		subjects = append(subjects, c.Message)
	}
	want := []string{"Start\n", "Merge pull request #4 from acme/topic\n\nSide work\n", "Line one\n\nLine three\n"}
	if !reflect.DeepEqual(subjects, want) {
		t.Fatalf("messages %q, want %q (the side branch's commit is not on the first-parent line)", subjects, want)
	}
	if len(got[1].Parents) != 2 || got[2].Author != (gitrev.Author{Name: "Cy", Email: "cy@example.org"}) || !got[2].Committed.Equal(day(4)) {
		t.Errorf("merge parents %v, last commit %+v (the commit date, not the author date)", got[1].Parents, got[2])
	}

	authors, err := repo.Authors(context.Background(), []string{got[1].Parents[1]})
	if err != nil {
		t.Fatal(err)
	}
	if a := authors[got[1].Parents[1]]; a != (gitrev.Author{Name: "Ann Lee", Email: "ann@example.org"}) {
		t.Errorf("the side commit's author %+v, want Ann Lee <ann@example.org> as .mailmap maps her", a)
	}

	stop := errors.New("stop")
	n := 0
	if err := repo.FirstParent(context.Background(), "HEAD", func(*gitrev.Commit) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stopping early: %v after %d commits", err, n)
	}
	if v, err := repo.Config(context.Background(), "remote.origin.url"); v != "" || err != nil {
		t.Errorf("unset config: %q, %v", v, err)
	}
	r.Git("remote", "add", "origin", "https://github.com/acme/widget.git")
	if v, err := repo.Config(context.Background(), "remote.origin.url"); v != "https://github.com/acme/widget.git" || err != nil {
		t.Errorf("config: %q, %v", v, err)
	}
}

func TestFirstParentEmptyRepository(t *testing.T) {
	r := gittest.New(t)
	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var unknown *gitrev.UnknownRevisionError
	if err := repo.FirstParent(context.Background(), "HEAD", func(*gitrev.Commit) error { return nil }); !errors.As(err, &unknown) {
		t.Errorf("err %v, want an unknown revision", err)
	}
}
