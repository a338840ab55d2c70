module github.com/orama-network/orama/plugins/serverless

go 1.26.6

require (
	github.com/orama-network/orama/sdk v0.0.0
	github.com/tetratelabs/wazero v1.12.0
)

replace github.com/orama-network/orama/sdk => ../../sdk
