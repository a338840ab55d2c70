module github.com/orama-network/orama/plugins/pubsub

go 1.26.0

require github.com/orama-network/orama/sdk v0.0.0

replace github.com/orama-network/orama/sdk => ../../sdk
