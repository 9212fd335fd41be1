package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestLogos: a partner's logo file is copied as the ledger has it; one
// without gets its initials on a colour of its own, always legible.
func TestLogos(t *testing.T) {
	files, err := Render(tinyInput(t), "")
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile("testdata/ledger/organizations/globex.png")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["logos/globex.png"], png) || files["logos/globex.svg"] != nil {
		t.Error("Globex's PNG logo is not copied as it is")
	}
	acme := string(files["logos/acme.svg"])
	if !strings.Contains(acme, `aria-label="Acme &lt;Digital&gt;"`) || !strings.Contains(acme, ">A</text>") {
		t.Errorf("Acme's drawn logo:\n%s", acme)
	}
	if !strings.Contains(string(files["index.html"]), `<img class="logo" src="logos/globex.png" alt=""`) ||
		!strings.Contains(string(files["partners/acme.html"]), `<img class="logo" src="../logos/acme.svg" alt=""`) {
		t.Error("the card or the page does not show the logo")
	}
}

func TestInitialsAndColours(t *testing.T) {
	for name, want := range map[string]string{
		"Northwind Analytics Ltd": "NA", "Globex": "G", "ipê labs": "IL", "Ørsted & Søn": "ØS", "3D Robotics": "3R", "& &": "?",
	} {
		if got := Initials(name); got != want {
			t.Errorf("Initials(%q) = %q, want %q", name, got, want)
		}
	}
	seen := map[string]bool{}
	for i := range 1000 {
		id := fmt.Sprintf("org-%d", i)
		c := LogoColour(id)
		if c != LogoColour(id) {
			t.Fatalf("%s: the colour changes", id)
		}
		var r, g, b uint8
		if _, err := fmt.Sscanf(c, "#%02x%02x%02x", &r, &g, &b); err != nil {
			t.Fatal(err)
		}
		if ratio := contrast(r, g, b, 255, 255, 255); ratio < 4.5 {
			t.Errorf("%s: white on %s has a contrast of %.2f:1", id, c, ratio)
		}
		seen[c] = true
	}
	if len(seen) < 200 {
		t.Errorf("1000 ids share %d colours", len(seen))
	}
}

// TestFeatured: featured.json, featured.html and the embed page show the
// featured partners; what is copied out of the site has absolute
// addresses when the site's own is known, featured.html stays relative.
func TestFeatured(t *testing.T) {
	for _, base := range []string{"", "https://example.org/p/"} {
		files, err := Render(tinyInput(t), base)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Program, AsOf, Directory string
			Featured                 []map[string]any
		}
		if err := json.Unmarshal(files["featured.json"], &f); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"id": "acme", "name": "Acme <Digital>", "url": "https://acme.example", "page": base + "partners/acme.html",
			"logo": base + "logos/acme.svg", "since": "2025-02-01", "standing": "good", "tier": "gold"}
		if f.Directory != base+"index.html" || len(f.Featured) != 1 || fmt.Sprint(f.Featured[0]) != fmt.Sprint(want) {
			t.Errorf("featured.json (base %q): %s", base, files["featured.json"])
		}
		page := string(files["featured.html"])
		if strings.Contains(page, "<script") || !strings.Contains(page, `<img src="logos/acme.svg" alt=""`) ||
			!strings.Contains(page, `href="https://acme.example"`) || strings.Contains(page, "globex") || strings.Contains(page, "example.org") {
			t.Errorf("featured.html (base %q):\n%s", base, page)
		}
		embed := string(files["embed.html"])
		for _, code := range []string{
			`&lt;iframe src=&#34;` + base + `featured.html&#34;`,
			`&lt;img src=&#34;` + base + `logos/acme.svg&#34; alt=&#34;&#34;`,
			`href=&#34;` + base + `index.html&#34;`,
		} {
			if !strings.Contains(embed, code) {
				t.Errorf("embed.html (base %q) lacks %s", base, code)
			}
		}
		if relative := strings.Contains(embed, "relative to this site"); relative != (base == "") {
			t.Errorf("embed.html (base %q) says the addresses are relative: %v", base, relative)
		}
	}
}

// TestCardStanding: a card says when its partner is not in good standing,
// and so does its page; a partner in good standing gets no such chip.
func TestCardStanding(t *testing.T) {
	files, err := Render(tinyInput(t), "")
	if err != nil {
		t.Fatal(err)
	}
	index := string(files["index.html"])
	card := index[strings.Index(index, `data-partner="globex"`):]
	card = card[:strings.Index(card, "</li>")]
	if !strings.Contains(card, `<span class="chip chip-standing standing-lapsed">Lapsed</span>`) {
		t.Errorf("the lapsed partner's card does not say so:\n%s", card)
	}
	if !strings.Contains(string(files["partners/globex.html"]), ">Lapsed</span>") || strings.Contains(string(files["partners/acme.html"]), "chip-standing") {
		t.Error("the partner pages do not show the standing as the cards do")
	}
}
