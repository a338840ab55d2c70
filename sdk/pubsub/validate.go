package pubsub

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
)

// CheckName returns invalid when a namespace or topic is empty, too long
// or not UTF-8. Implementations call it first thing.
func CheckName(what, v string) error {
	switch {
	case v == "":
		return sdk.Errorf(sdk.CodeInvalid, "%s is required", what)
	case len(v) > MaxNameLen:
		return sdk.Errorf(sdk.CodeInvalid, "%s longer than %d bytes", what, MaxNameLen)
	case !utf8.ValidString(v):
		return sdk.Errorf(sdk.CodeInvalid, "invalid UTF-8 in %q", what)
	}
	return nil
}

// CheckTopic validates a namespace and a topic.
func CheckTopic(namespace, topic string) error {
	if err := CheckName("namespace", namespace); err != nil {
		return err
	}
	return CheckName("topic", topic)
}

// CheckPublish validates the arguments of Publish.
func CheckPublish(namespace, topic string, data []byte) error {
	if err := CheckTopic(namespace, topic); err != nil {
		return err
	}
	if len(data) > MaxDataLen {
		return sdk.Errorf(sdk.CodeTooLarge, "message larger than %d bytes", MaxDataLen)
	}
	return nil
}

// CheckMemberID validates a member id.
func CheckMemberID(id string) error {
	switch {
	case id == "":
		return sdk.Errorf(sdk.CodeInvalid, "member_id is required")
	case len(id) > MaxMemberIDLen:
		return sdk.Errorf(sdk.CodeInvalid, "member_id longer than %d bytes", MaxMemberIDLen)
	case !utf8.ValidString(id):
		return sdk.Errorf(sdk.CodeInvalid, "invalid UTF-8 in %q", "member_id")
	}
	return nil
}

// CheckJoin validates the arguments of Join.
func CheckJoin(namespace, topic string, m Member, ttl time.Duration) error {
	if err := CheckTopic(namespace, topic); err != nil {
		return err
	}
	if err := CheckMemberID(m.ID); err != nil {
		return err
	}
	if len(m.Meta) > MaxMetaLen {
		return sdk.Errorf(sdk.CodeInvalid, "member_meta longer than %d bytes", MaxMetaLen)
	}
	if len(m.Meta) > 0 && !json.Valid(m.Meta) {
		return sdk.Errorf(sdk.CodeInvalid, "member_meta is not valid JSON")
	}
	if ttl < MinTTL || ttl > MaxTTL {
		return sdk.Errorf(sdk.CodeInvalid, "presence ttl %s outside %s..%s", ttl, MinTTL, MaxTTL)
	}
	return nil
}
