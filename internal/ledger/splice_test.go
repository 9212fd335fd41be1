package ledger

import (
	"strings"
	"testing"
)

func TestSpliceShardCredits(t *testing.T) {
	entry := func(date, id string) ShardEntry {
		return ShardEntry{Date: MustDate(date), ID: id, Fields: [][2]string{
			{"id", id}, {"who", "github:dev"}, {"kind", "review"}, {"date", date},
			{"facts", "{opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}"},
		}}
	}
	add := []ShardEntry{entry("2026-10-01", "github:a/b#1"), entry("2026-10-05", "github:a/b#5")}
	for _, c := range []struct{ name, old, want string }{
		{"new file", "",
			"# yaml-language-server: $schema=S\ncredits:\n" +
				"  - id: github:a/b#1\n    who: github:dev\n    kind: review\n    date: 2026-10-01\n    facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}\n" +
				"  - id: github:a/b#5\n    who: github:dev\n    kind: review\n    date: 2026-10-05\n    facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}\n"},
		{"between hand-written flow entries, comments kept with theirs",
			"credits:\r\n  - {id: x, who: carol, kind: talk, date: 2026-10-02}  # by hand\r\n  # the last one\r\n  - {id: y, who: carol, kind: talk, date: 2026-10-09}\r\n",
			"credits:\r\n" +
				"  - {id: github:a/b#1, who: github:dev, kind: review, date: 2026-10-01, facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}}\r\n" +
				"  - {id: x, who: carol, kind: talk, date: 2026-10-02}  # by hand\r\n" +
				"  - {id: github:a/b#5, who: github:dev, kind: review, date: 2026-10-05, facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}}\r\n" +
				"  # the last one\r\n  - {id: y, who: carol, kind: talk, date: 2026-10-09}\r\n"},
		{"empty list", "credits: []\n",
			"credits:\n" +
				"  - id: github:a/b#1\n    who: github:dev\n    kind: review\n    date: 2026-10-01\n    facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}\n" +
				"  - id: github:a/b#5\n    who: github:dev\n    kind: review\n    date: 2026-10-05\n    facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}\n"},
		{"no line break at the end: it gets one", "credits:\n  - {id: z, who: carol, kind: talk, date: 2026-10-31}",
			"credits:\n" +
				"  - {id: github:a/b#1, who: github:dev, kind: review, date: 2026-10-01, facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}}\n" +
				"  - {id: github:a/b#5, who: github:dev, kind: review, date: 2026-10-05, facts: {opened: 2026-10-01T10:00:00Z, merged: 2026-10-02T10:00:00Z}}\n" +
				"  - {id: z, who: carol, kind: talk, date: 2026-10-31}\n"},
	} {
		got, err := SpliceShard([]byte(c.old), "credits", "S", add)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
	_, err := SpliceShard([]byte("payments: []\n"), "credits", "S", add)
	if err == nil || !strings.Contains(err.Error(), "no credits list") {
		t.Errorf("a shard without credits: %v", err)
	}
}
