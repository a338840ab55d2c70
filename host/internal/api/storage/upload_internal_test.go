package storage

import "testing"

func TestUploadBodyLimit(t *testing.T) {
	for _, c := range []struct{ max, want int64 }{
		{0, uploadSlack},
		{1, 4 + uploadSlack},
		{3, 4 + uploadSlack},
		{4, 8 + uploadSlack},
		{10 << 30, (10<<30+2)/3*4 + uploadSlack},
		{1 << 62, (1<<62+2)/3*4 + uploadSlack},
		{1<<63 - 1, 1<<63 - 1},
	} {
		if got := UploadBodyLimit(c.max); got != c.want {
			t.Errorf("UploadBodyLimit(%d) = %d, want %d", c.max, got, c.want)
		}
	}
}
