// Command orama-plugin-pubsub is Orama's pubsub plugin: an in-process
// broker on one node ("local"), or libp2p gossipsub between the nodes of a
// cluster ("libp2p").
package main
