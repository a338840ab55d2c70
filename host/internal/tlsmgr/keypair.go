package tlsmgr

import (
	"crypto/tls"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// reloadCheck is how often, at most, the certificate files are looked at
// for a change (on a handshake).
const reloadCheck = 10 * time.Second

// keyPair is a certificate and key from files. A handshake at least
// reloadCheck after the last look stats the files, and reloads them when
// either changed (size or modification time): a renewed certificate
// dropped in place is served within seconds, without a restart. A pair
// that does not load (half written, mismatched) is logged and the
// previous one stays.
type keyPair struct {
	certFile, keyFile string
	log               hclog.Logger
	now               func() time.Time

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   string // of the files loaded
	checked time.Time
}

func loadKeyPair(certFile, keyFile string, log hclog.Logger) (*keyPair, error) {
	k := &keyPair{certFile: certFile, keyFile: keyFile, log: log, now: time.Now}
	stamp, err := k.fileStamp()
	if err == nil {
		err = k.load(stamp)
	}
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	k.checked = k.now()
	return k, nil
}

// GetCertificate serves tls.Config.GetCertificate.
func (k *keyPair) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if now := k.now(); now.Sub(k.checked) >= reloadCheck {
		k.checked = now
		if stamp, err := k.fileStamp(); err != nil {
			k.log.Warn("certificate files unreadable; serving the loaded pair", "error", err)
		} else if stamp != k.stamp {
			if err := k.load(stamp); err != nil {
				k.log.Warn("certificate files changed but do not load; serving the previous pair", "error", err)
			} else {
				k.log.Info("certificate reloaded", "cert_file", k.certFile, "not_after", k.cert.Leaf.NotAfter)
			}
		}
	}
	return k.cert, nil
}

// load reads the pair; stamp is the files' stamp taken before.
func (k *keyPair) load(stamp string) error {
	c, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
	if err != nil {
		return err
	}
	k.cert, k.stamp = &c, stamp
	return nil
}

func (k *keyPair) fileStamp() (string, error) {
	var s string
	for _, f := range []string{k.certFile, k.keyFile} {
		st, err := os.Stat(f)
		if err != nil {
			return "", err
		}
		s += fmt.Sprintf("%d/%d;", st.Size(), st.ModTime().UnixNano())
	}
	return s, nil
}
