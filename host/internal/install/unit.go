package install

import (
	"fmt"
	"strings"
)

// RestartSec is the pause before systemd restarts a failed gateway.
const RestartSec = "5s"

// RenderUnit is the systemd unit of o's service with the paths p.
//
// Type=exec: the gateway does not notify systemd, and exec reports a
// binary that cannot start. KillMode=mixed sends SIGTERM to the host
// only: it drains, then stops its plugins itself; whatever is left at
// TimeoutStopSec is killed. MemoryDenyWriteExecute is not set: the
// serverless plugin compiles WASM to native code (wazero). No
// SystemCallFilter yet: the set the host, go-plugin, wazero and libp2p
// need has not been measured under systemd.
func RenderUnit(o *Options, p Paths) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Written by `orama install`. Reference: README.md (Install as a service).")
	w("[Unit]")
	w("Description=Orama gateway (node %s)", o.NodeID)
	w("After=network-online.target")
	w("Wants=network-online.target")
	w("")
	w("[Service]")
	w("Type=exec")
	w("User=%s", o.User)
	w("Group=%s", o.User)
	w("ExecStart=%s serve -config %s", unitPath(p.BinDir+"/orama"), unitPath(p.Config))
	w("ExecReload=/bin/kill -HUP $MAINPID")
	w("Restart=on-failure")
	w("RestartSec=%s", RestartSec)
	w("KillSignal=SIGTERM")
	w("KillMode=mixed")
	w("TimeoutStopSec=%ds", int(StopTimeout.Seconds()))
	w("Environment=ORAMA_LOG_LEVEL=info")
	w("LimitNOFILE=65536")
	w("UMask=0027")
	w("")
	w("# Hardening")
	w("NoNewPrivileges=yes")
	w("ProtectSystem=strict")
	w("ReadWritePaths=%s", unitPath(p.DataDir))
	w("ProtectHome=yes")
	w("PrivateTmp=yes")
	w("PrivateDevices=yes")
	w("ProtectKernelTunables=yes")
	w("ProtectKernelModules=yes")
	w("ProtectKernelLogs=yes")
	w("ProtectControlGroups=yes")
	w("ProtectClock=yes")
	w("ProtectHostname=yes")
	w("RestrictSUIDSGID=yes")
	w("RestrictRealtime=yes")
	w("RestrictNamespaces=yes")
	w("LockPersonality=yes")
	w("RemoveIPC=yes")
	w("PrivateMounts=yes")
	w("ProtectProc=invisible")
	w("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK")
	w("SystemCallArchitectures=native")
	if listenPort(o.Listen) < 1024 {
		w("AmbientCapabilities=CAP_NET_BIND_SERVICE")
		w("CapabilityBoundingSet=CAP_NET_BIND_SERVICE")
	} else {
		w("CapabilityBoundingSet=")
	}
	w("")
	w("[Install]")
	w("WantedBy=multi-user.target")
	return []byte(b.String())
}

// unitPath quotes a path for a unit file when it has spaces; the
// specifier and variable characters are escaped.
func unitPath(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if strings.ContainsAny(s, " \t") {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}
