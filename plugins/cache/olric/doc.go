// Package olric is the cache plugin's backend on Olric v0.5
// (github.com/buraksezer/olric), a distributed in-memory key/value store.
//
// In mode "embedded" (the default) the plugin runs an Olric member in its
// own process; members given each other's memberlist addresses in peers
// form one cluster and spread the data over its partitions. In mode
// "client" the plugin is a client of Olric servers running elsewhere.
//
// Each (namespace, dmap) of the cache contract is one Olric dmap whose
// name carries the namespace with its length, so namespaces never collide.
// Olric keeps everything in memory; the plugin does not use its data
// directory.
package olric
