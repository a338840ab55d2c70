package olric

import (
	"fmt"
	"io"
	"net"
	"strconv"
)

// pickPorts returns bind and gossip, replacing a 0 with a free port: a
// free TCP port for Olric, a port free for both TCP and UDP for
// memberlist. The two differ.
func pickPorts(ip string, bind, gossip int) (int, int, error) {
	var held []io.Closer
	defer func() {
		for _, c := range held {
			_ = c.Close()
		}
	}()
	for bind == 0 || gossip == 0 {
		if len(held) > 40 {
			return 0, 0, fmt.Errorf("no free port on %s", ip)
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			return 0, 0, fmt.Errorf("find a free port: %w", err)
		}
		held = append(held, l)
		port := l.Addr().(*net.TCPAddr).Port
		if port == bind || port == gossip {
			continue
		}
		if bind == 0 {
			bind = port
			continue
		}
		pc, err := net.ListenPacket("udp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			continue // the UDP side is taken; try another
		}
		held = append(held, pc)
		gossip = port
	}
	return bind, gossip, nil
}
