package money

import "testing"

func TestParse(t *testing.T) {
	good := map[string]Amount{"100": 1000000, "100.00": 1000000, "89.12": 891200, "0.5": 5000, "1.2345": 12345,
		"999999999999.9999": Limit - 1}
	for in, want := range good {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1e3", "1,000", "1.", ".5", "1.23456", "abc", "１",
		"1000000000000", "100000000000000.00", "922337203685477.5808", "99999999999999999999"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) succeeded; want an error", in)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		a    Amount
		dec  int
		want string
	}{
		{1157049, 2, "115.70"}, // 115.7049 rounds down
		{1157050, 2, "115.71"}, // half away from zero
		{-1157050, 2, "-115.71"},
		{5000, 0, "1"},
		{891200, 2, "89.12"},
		{12345, 4, "1.2345"},
	}
	for _, c := range cases {
		if got := c.a.Format(c.dec); got != c.want {
			t.Errorf("%d.Format(%d) = %q, want %q", c.a, c.dec, got, c.want)
		}
	}
	if got := Amount(1000000).String(); got != "100.00" {
		t.Errorf("String = %q", got)
	}
	if got := Amount(12345).String(); got != "1.2345" {
		t.Errorf("String = %q", got)
	}
}
