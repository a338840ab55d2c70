// Package cluster is a small client of IPFS Cluster's REST API (the
// ipfs-cluster-service v1 API): pin and unpin with replication factors,
// the status of a pin on every peer, and the cluster's identity and
// peers. It speaks the API directly because no Go client of IPFS Cluster
// can be had through the module proxy; its tests replay responses
// captured from a real cluster peer (testdata/).
//
// Every call is bounded by the client's timeout and reads at most
// MaxResponse bytes of a response. Basic-auth credentials may be given in
// the URL (http://user:pass@host:9094).
package cluster
