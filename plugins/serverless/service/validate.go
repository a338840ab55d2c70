package service

import (
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/serverless"
)

// checkNamespace validates a namespace (serverless.CheckNamespace) and
// forbids the gateway's own ones (those starting with '_'): a function
// there would act in the system's tables.
func checkNamespace(ns string) error {
	if err := serverless.CheckNamespace(ns); err != nil {
		return err
	}
	if auth.IsReservedNamespace(ns) {
		return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved (names starting with '_' belong to the gateway)", ns)
	}
	return nil
}

// checkFunction validates a namespace, a function name and a version (0:
// the latest, or all).
func checkFunction(ns, name string, version int) error {
	if err := checkNamespace(ns); err != nil {
		return err
	}
	return serverless.CheckVersion(ns, name, version)
}

// checkSecret validates a namespace and a secret name.
func checkSecret(ns, name string) error {
	if err := checkNamespace(ns); err != nil {
		return err
	}
	return serverless.CheckSecret(ns, name)
}
