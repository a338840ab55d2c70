package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// subcommand splits args of `orama cmd` into the subcommand (one of ops)
// and the rest. code is the exit code when the command should end now
// (help, no or an unknown subcommand), -1 otherwise.
func subcommand(cmd, usage string, ops, args []string, stdout, stderr io.Writer) (op string, rest []string, code int) {
	if len(args) > 0 && slices.Contains(ops, args[0]) {
		return args[0], args[1:], -1
	}
	switch {
	case len(args) > 0 && slices.Contains([]string{"help", "-h", "-help", "--help"}, args[0]):
		fmt.Fprint(stdout, usage)
		return "", nil, 0
	case len(args) == 0 || args[0] == "" || args[0][0] == '-':
		fmt.Fprintf(stderr, "orama %s: name a subcommand: %s\n\n%s", cmd, orList(ops), usage)
	default:
		fmt.Fprintf(stderr, "orama %s: unknown subcommand %q\n\n%s", cmd, args[0], usage)
	}
	return "", nil, 2
}

// parseNamed parses args with fs, taking the name of what the subcommand
// acts on either from -name (bound to *name) or as one argument before or
// after the flags. code is the exit code when the command should end now,
// -1 otherwise; problem says what is wrong with the arguments.
func parseNamed(fs *flag.FlagSet, args []string, name *string) (problem string, code int) {
	var positional []string
	if len(args) > 0 && args[0] != "" && !strings.HasPrefix(args[0], "-") {
		positional, args = append(positional, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", 0
		}
		return "", 2
	}
	positional = append(positional, fs.Args()...)
	switch {
	case len(positional) > 1:
		return fmt.Sprintf("unexpected argument %q (one name, then the flags)", positional[1]), 2
	case len(positional) == 1 && *name != "" && *name != positional[0]:
		return fmt.Sprintf("two names: %q and -name %q", positional[0], *name), 2
	case len(positional) == 1:
		*name = positional[0]
	}
	return "", -1
}

// parsePlain parses args with fs for a subcommand that takes no name.
func parsePlain(fs *flag.FlagSet, args []string) (problem string, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", 0
		}
		return "", 2
	}
	if fs.NArg() > 0 {
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0)), 2
	}
	return "", -1
}
