package ledger

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// AnonymousPlatform is the platform of the identity that tally forget
// gives an erased person's credits: "anonymous:<hash>", which no person
// owns and which reports show as an anonymous contributor.
const AnonymousPlatform = "anonymous"

// NewAnonymousWho makes the "who" of an erased person's credits: 12 hex
// digits read from random, given to all of the person's credits so that
// they still count as one contributor (caps, people per organisation).
// Random rather than derived from the person's id or name: anyone could
// hash a guessed id and learn whose the credits were.
func NewAnonymousWho(random io.Reader) (string, error) {
	var b [6]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", fmt.Errorf("making an anonymous identity: %w", err)
	}
	return AnonymousPlatform + ":" + hex.EncodeToString(b[:]), nil
}

// IsAnonymous tells whether a "who" is an erased person's identity.
func IsAnonymous(who string) bool {
	platform, _, ok := strings.Cut(who, ":")
	return ok && strings.EqualFold(platform, AnonymousPlatform)
}
