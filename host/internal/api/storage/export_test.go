package storage

// The limits and messages the external tests assert on.
const (
	UploadPinLate = uploadPinLate
	MaxFormField  = maxFormField
	MaxPinName    = maxPinName
	MaxJSONDepth  = maxJSONDepth
)
