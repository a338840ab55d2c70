package tokens

import "time"

// Schedule is the rotation schedule. Time is cut into slots of Every
// from the Unix epoch; each slot has one signing key. Every node computes
// the same slot from its clock, so nodes that race to make the key of a
// new slot agree on whichever is stored first. A key stays listed in Keys
// until NotAfter: the end of its slot plus the lifetime of the last token
// it can sign, plus the clock skew verifiers tolerate.
type Schedule struct {
	Every    time.Duration // rotate_every
	TokenTTL time.Duration // token_ttl
	Skew     time.Duration // clock_skew
}

// Slot returns the slot now falls in.
func (s Schedule) Slot(now time.Time) int64 {
	return now.UnixNano() / int64(s.Every)
}

// SlotEnd returns the end of slot.
func (s Schedule) SlotEnd(slot int64) time.Time {
	return time.Unix(0, (slot+1)*int64(s.Every))
}

// NotAfter returns when a key that signs until signUntil verifies nothing
// any more.
func (s Schedule) NotAfter(signUntil time.Time) time.Time {
	return signUntil.Add(s.TokenTTL + s.Skew)
}
