package storage

import (
	"time"

	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
)

func statToProto(s Stat) *storagev1.Stat {
	p := &storagev1.Stat{Cid: s.CID, Size: s.Size}
	if s.Named {
		p.Name = &s.Name
	}
	return p
}

func statFromProto(s *storagev1.Stat) Stat {
	return Stat{CID: s.GetCid(), Size: s.GetSize(), Name: s.GetName(), Named: s.Name != nil}
}

func pinToProto(p PinStatus) *storagev1.PinStatus {
	pp := &storagev1.PinStatus{
		Cid:               p.CID,
		Name:              p.Name,
		Status:            p.Status,
		ReplicationMin:    int32(p.ReplicationMin),
		ReplicationMax:    int32(p.ReplicationMax),
		ReplicationFactor: int32(p.ReplicationFactor),
		Peers:             p.Peers,
		Error:             p.Error,
	}
	if !p.Created.IsZero() {
		pp.CreatedUnixMs = p.Created.UnixMilli()
	}
	return pp
}

func pinFromProto(pp *storagev1.PinStatus) PinStatus {
	p := PinStatus{
		CID:               pp.GetCid(),
		Name:              pp.GetName(),
		Status:            pp.GetStatus(),
		ReplicationMin:    int(pp.GetReplicationMin()),
		ReplicationMax:    int(pp.GetReplicationMax()),
		ReplicationFactor: int(pp.GetReplicationFactor()),
		Peers:             pp.GetPeers(),
		Error:             pp.GetError(),
	}
	if ms := pp.GetCreatedUnixMs(); ms != 0 {
		p.Created = time.UnixMilli(ms)
	}
	return p
}

func pinsFromProto(pps []*storagev1.PinStatus) []PinStatus {
	out := make([]PinStatus, len(pps))
	for i, pp := range pps {
		out[i] = pinFromProto(pp)
	}
	return out
}
