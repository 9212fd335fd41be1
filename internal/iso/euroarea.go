package iso

// euroArea is where the euro is the legal currency as of 2026-01-01, sorted
// by alpha-2 code. The choice: the euro-area members (with the parts of them
// that ISO 3166-1 codes separately), plus those that use the euro under a
// monetary agreement with the EU. Places that use it unilaterally, such as
// Montenegro (ME) and Kosovo (XK, not an official code), are not in it; nor
// are the French Southern Territories (TF), which use the euro under French
// law with no EU agreement of their own.
var euroArea = [...]struct {
	alpha2 string
	why    string
}{
	{"AD", "monetary agreement"},
	{"AT", "member"},
	{"AX", "part of Finland"},
	{"BE", "member"},
	{"BG", "member since 2026-01-01"},
	{"BL", "monetary agreement (via France)"},
	{"CY", "member"},
	{"DE", "member"},
	{"EE", "member"},
	{"ES", "member"},
	{"FI", "member"},
	{"FR", "member"},
	{"GF", "part of France (outermost region)"},
	{"GP", "part of France (outermost region)"},
	{"GR", "member"},
	{"HR", "member since 2023-01-01"},
	{"IE", "member"},
	{"IT", "member"},
	{"LT", "member"},
	{"LU", "member"},
	{"LV", "member"},
	{"MC", "monetary agreement"},
	{"MF", "part of France (outermost region)"},
	{"MQ", "part of France (outermost region)"},
	{"MT", "member"},
	{"NL", "member"},
	{"PM", "monetary agreement (via France)"},
	{"PT", "member"},
	{"RE", "part of France (outermost region)"},
	{"SI", "member"},
	{"SK", "member"},
	{"SM", "monetary agreement"},
	{"VA", "monetary agreement"},
	{"YT", "part of France (outermost region)"},
}
