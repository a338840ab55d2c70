// Package service is the pubsub plugin: pubsub.Backend (the Base
// lifecycle and PubSub) over one driver, chosen by the config attribute
// driver:
//
//   - "local" (driver_local.go, the default): a pubsub.Broker in the
//     plugin, for a single node;
//   - "libp2p" (driver_libp2p.go, package libp2p): gossipsub between the
//     gateway nodes.
//
// # Adding a driver
//
// A driver is one file of this package that registers itself:
//
//	func init() {
//		drivers["libp2p"] = driverDef{validate: validateLibp2p, start: startLibp2p}
//	}
//
// validate checks the driver's attributes of Config (already decoded over
// the defaults, the driver name known) and adds a plugin.ConfigError entry
// naming each attribute at fault; it has no side effects (the host calls
// it on ValidateConfig too). start is called once per Configure with the
// validated Config and an Env; it returns a running Driver, or an error
// after releasing what it acquired: a plugin.ConfigError for a bad value
// found only now (a missing swarm key file), anything else becomes
// unavailable. Driver.Close is called once, on the plugin's Close.
//
// A Driver is a pubsub.PubSub that enforces the contract itself (the
// pubsub.Check* functions; the conformance suite in pubsub/pubsubtest
// checks it). Drivers build on pubsub.Broker: a cluster driver delivers
// what its peers publish with Broker.Deliver and mirrors their members
// with Upsert and Remove. Env.OnDrop goes into BrokerOptions.OnDrop, so
// the plugin counts and reports what slow subscribers lose; Env.DataDir
// (node { data_dir }/<plugin name>, created) is where a driver keeps its
// state, e.g. the libp2p node key; it is "" when the host sent no
// data_dir.
//
// Config attributes of every driver live in Config (config.go): a new
// attribute is one field there.
package service
