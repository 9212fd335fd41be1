package importer

import (
	"os"
	"reflect"
	"testing"
)

func importAllContributors(t *testing.T, dir, file string) (*AllContributors, []string) {
	t.Helper()
	l, err := LoadPeopleLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ac, err := ReadAllContributors(l, data)
	if err != nil {
		t.Fatal(err)
	}
	written, existed, err := WritePeople(dir, ac)
	if err != nil || len(existed) > 0 {
		t.Fatalf("%v; there already: %v", err, existed)
	}
	return ac, written
}

func TestImportAllContributors(t *testing.T) {
	dir := historyLedger(t)
	ac, written := importAllContributors(t, dir, "testdata/all-contributors/messy.all-contributorsrc")
	var got []NewPerson
	got = append(got, ac.New...)
	want := []NewPerson{
		{"mara-jovanovic", "Mara Jovanović", "mara-j"},
		{"lee-park-2", "Lee Park", "lee-park-gh"},
		{"lee-park-3", "Lee Park", "lpark"},
		{"zhangwei", "张伟", "zhangwei"},
		{"yes", "yes", "yes"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("new people:\n%v\nwant:\n%v", got, want)
	}
	if ac.Known != 1 || ac.Twice != 1 || ac.NoLogin != 1 || !reflect.DeepEqual(ac.Bots, []string{"allcontributors[bot]", "ci-helper"}) {
		t.Errorf("known %d, twice %d, no login %d, bots %v", ac.Known, ac.Twice, ac.NoLogin, ac.Bots)
	}
	wantTypes := []TypeUse{
		{"code", "commit", 2}, {"translation", "translation", 2},
		{"bug", "", 1}, {"eventOrganizing", "", 1}, {"question", "forum_solution", 1},
		{"review", "review", 1}, {"stargazing", "", 1}, {"talk", "talk", 1},
	}
	if !reflect.DeepEqual(ac.Types, wantTypes) {
		t.Errorf("types:\n%v\nwant:\n%v", ac.Types, wantTypes)
	}
	if len(written) != 5 {
		t.Errorf("written %v", written)
	}
	files := snapshot(t, dir)
	if got, want := files["people/yes.yaml"], "# yaml-language-server: $schema="+personSchema+"\nname: \"yes\"\nidentities: {github: \"yes\"}\n"; got != want {
		t.Errorf("people/yes.yaml:\n%s\nwant:\n%s", got, want)
	}
	if got := files["people/mara-jovanovic.yaml"]; got != "# yaml-language-server: $schema="+personSchema+"\nname: \"Mara Jovanović\"\nidentities: {github: mara-j}\n" {
		t.Errorf("people/mara-jovanovic.yaml:\n%s", got)
	}
	validate(t, dir)

	again, written := importAllContributors(t, dir, "testdata/all-contributors/messy.all-contributorsrc")
	if len(again.New) != 0 || len(written) != 0 || again.Known != 6 {
		t.Errorf("again: %d new, %v written, %d known", len(again.New), written, again.Known)
	}
	if !reflect.DeepEqual(files, snapshot(t, dir)) {
		t.Error("importing again changed the ledger")
	}
}

// TestImportAllContributorsNeverOverwrites: a file made after the ledger
// was read (by another run, by hand) is left as it is.
func TestImportAllContributorsNeverOverwrites(t *testing.T) {
	dir := historyLedger(t)
	l, err := LoadPeopleLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/all-contributors/messy.all-contributorsrc")
	ac, err := ReadAllContributors(l, data)
	if err != nil {
		t.Fatal(err)
	}
	const mine = "name: Someone Else\nidentities: {github: someone}\n"
	if err := os.WriteFile(dir+"/people/zhangwei.yaml", []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	_, existed, err := WritePeople(dir, ac)
	if err != nil || !reflect.DeepEqual(existed, []string{"people/zhangwei.yaml"}) {
		t.Errorf("%v, there already %v", err, existed)
	}
	if b, _ := os.ReadFile(dir + "/people/zhangwei.yaml"); string(b) != mine {
		t.Errorf("overwritten: %s", b)
	}
}

func TestImportAllContributorsFile(t *testing.T) {
	dir := historyLedger(t)
	ac, _ := importAllContributors(t, dir, "testdata/all-contributors/lumen.all-contributorsrc")
	ids := map[string]string{}
	for _, p := range ac.New {
		ids[p.Login] = p.ID
	}
	for login, id := range map[string]string{
		"ilsevarga": "ilse-varga-brightloop", "treznik": "tomas-reznik", "bleveque": "benjamin-leveque",
		"benji-w": "benjamin", "AnneLiseP": "anne-lise", "zkertesz": "zoltan-kertesz",
		"KarinSH": "karin-sondergaard-holm", "mdabrowski-ca": "marek-dabrowski", "rustyfox": "rustyfox",
		"Cheers": "cheers", "ngoclan": "nguyen-ngoc-lan", "elodie-m": "elodie-marchand",
	} {
		if ids[login] != id {
			t.Errorf("%s: id %q, want %q", login, ids[login], id)
		}
	}
	if len(ac.New) != 26 || ac.Types[0] != (TypeUse{"code", "commit", 16}) {
		t.Errorf("%d new, types %v", len(ac.New), ac.Types)
	}
	validate(t, dir)

	// The whole file, when the shared data is here.
	const full = "../../../shared/data/all-contributors/mautic.all-contributorsrc.json"
	if _, err := os.Stat(full); err != nil {
		t.Skip("no shared data")
	}
	all, written := importAllContributors(t, dir, full)
	if all.Contributors != 152 || all.Known != 0 || len(written) != 152 {
		t.Errorf("the whole file: %d contributors, %d known, %d written", all.Contributors, all.Known, len(written))
	}
	validate(t, dir)
}
