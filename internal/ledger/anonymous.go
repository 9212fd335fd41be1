package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// AnonymousPlatform is the platform of the identity that tally forget
// gives an erased person's credits: "anonymous:<hash>", which no person
// owns and which reports show as an anonymous contributor.
const AnonymousPlatform = "anonymous"

// AnonymousWho is the "who" of an erased person's credits: the first 12
// hex digits of the SHA-256 of "tally-forget:" and the person's id. The
// same for all of the person's credits, so that they still count as one
// contributor (caps, people per organisation), and the same on every run.
func AnonymousWho(personID string) string {
	sum := sha256.Sum256([]byte("tally-forget:" + personID))
	return AnonymousPlatform + ":" + hex.EncodeToString(sum[:])[:12]
}

// IsAnonymous tells whether a "who" is an erased person's identity.
func IsAnonymous(who string) bool {
	platform, _, ok := strings.Cut(who, ":")
	return ok && strings.EqualFold(platform, AnonymousPlatform)
}
