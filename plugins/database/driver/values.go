package driver

import (
	"strings"
	"time"
)

// IsDateType reports whether a column's declared type makes SQLite
// drivers turn its text into a time (DATE, DATETIME, TIMESTAMP).
func IsDateType(declType string) bool {
	switch strings.ToUpper(declType) {
	case "DATE", "DATETIME", "TIMESTAMP":
		return true
	}
	return false
}

// TimeText writes a time back the way SQLite's own date functions write
// one, for drivers that parsed the text of a date column into a time:
// "YYYY-MM-DD HH:MM:SS" with ".SSS" (or more digits when needed) for
// fractions and "+hh:mm" for a zone other than UTC; a DATE column's
// midnight as "YYYY-MM-DD". Texts written that way read back unchanged;
// other spellings of the same instant come back in this one.
func TimeText(t time.Time, declType string) string {
	_, offset := t.Zone()
	if strings.EqualFold(declType, "DATE") && offset == 0 &&
		t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format(time.DateOnly)
	}
	layout := "2006-01-02 15:04:05"
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%int(time.Millisecond) == 0:
		layout += ".000"
	default:
		layout += ".999999999"
	}
	if offset != 0 {
		layout += "-07:00"
	}
	return t.Format(layout)
}
