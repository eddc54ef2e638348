package web_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/web"
)

// Invalid submissions count against their client's limit but not against
// the global ceiling, which only accepted tips use up (issue 12, finding 6).
func TestInvalidTipsDoNotUseUpTheGlobalLimit(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		nets, _ := web.ParseTrustedProxies("127.0.0.1, ::1")
		web.WithTrustedProxies(nets)(s.srv)
		web.SetTipSubmitLimit(s.srv, 2, 10*time.Minute, 3, 10*time.Minute)
		from := func(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }
		invalid := map[string]any{"community": "QS-01-001", "category": "other", "description": ""}
		for i := range 10 {
			res, body := s.postTip(invalid, from("198.51.100."+itoa(int64(i))))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("invalid tip %d: %d %s, want 422", i+1, res.StatusCode, body)
			}
		}
		// One client is still held to its own limit, valid or not.
		s.postTip(invalid, from("192.0.2.9"))
		s.postTip(invalid, from("192.0.2.9"))
		res, body := s.postTip(invalid, from("192.0.2.9"))
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")

		valid := map[string]any{"community": "QS-01-001", "category": "other", "description": tipDescription}
		for i := range 3 {
			res, body := s.postTip(valid, from("203.0.113."+itoa(int64(i))))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("valid tip %d after invalid ones: %d %s", i+1, res.StatusCode, body)
			}
		}
		res, body = s.postTip(valid, from("203.0.113.99"))
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")
	})
}

// photo encodes a small JPEG or PNG and adds what phones write into their
// photos: an EXIF block (JPEG) or text and time chunks (PNG) with the moment
// it was taken.
func photo(t *testing.T, kind string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if kind == "jpeg" {
		if err := jpeg.Encode(&b, img, nil); err != nil {
			t.Fatal(err)
		}
		exif := append([]byte("Exif\x00\x00MM\x00\x2a"), []byte("DateTimeOriginal 2026:11:27 14:32:10 GPS 39.9042N 116.4074E")...)
		seg := append([]byte{0xff, 0xe1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
		com := append([]byte{0xff, 0xfe, 0, byte(len("2026:11:27 14:32:10") + 2)}, "2026:11:27 14:32:10"...)
		raw := b.Bytes()
		return slices.Concat(raw[:2], seg, com, raw[2:])
	}
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(c, typ...)
		c = append(c, data...)
		return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	raw := b.Bytes()
	return slices.Concat(raw[:33], chunk("tEXt", []byte("Creation Time\x002026:11:27 14:32:10")),
		chunk("tIME", []byte{0x07, 0xea, 11, 27, 6, 32, 10}), raw[33:])
}

// A tip's photos keep no EXIF or text chunks, its files no original name
// and no time of day: the stored file's times are the day's midnight
// (issue 12, finding 6).
func TestTipFilesKeepOnlyTheDay(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		dir := t.TempDir()
		files, err := filestore.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		web.WithFiles(files)(s.srv)
		at := time.Date(2026, 11, 27, 14, 32, 10, 0, civil.Zone)
		st.SetClock(func() time.Time { return at })
		bearer := map[string]string{"Authorization": "Bearer " + s.token("admin")}
		for _, c := range []struct{ kind, name, typ string }{
			{"jpeg", "IMG_20261127_143210.JPG", "image/jpeg"},
			{"png", "Screenshot_2026-11-27-14-32-10.png", "image/png"},
		} {
			res, body := s.postFile(s.client(), "/api/v1/tips", map[string]string{"community": "QS-01-002", "category": "crime",
				"description": tipDescription}, "files", c.name, photo(t, c.kind))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("%s tip: %d %s", c.kind, res.StatusCode, body)
			}
			var list struct{ Items []struct{ ID int64 } }
			s.getJSON2(bearer, "/api/v1/tips?community=QS-01-002", &list)
			var tip struct {
				Files []store.TipFile
			}
			s.getJSON2(bearer, "/api/v1/tips/"+itoa(list.Items[0].ID)+"/detail", &tip)
			if len(tip.Files) != 1 {
				t.Fatalf("files %+v", tip.Files)
			}
			f := tip.Files[0]
			if f.Name != "附件1"+strings.ToLower(filepath.Ext(c.name)) || f.Type != c.typ {
				t.Errorf("stored as %q (%s), want a neutral name", f.Name, f.Type)
			}
			rc, _, err := files.Get(f.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := io.ReadAll(rc)
			rc.Close()
			for _, leak := range []string{"2026:11:27", "Exif", "GPS", "Creation Time"} {
				if bytes.Contains(stored, []byte(leak)) {
					t.Errorf("%s keeps %q", c.kind, leak)
				}
			}
			if _, _, err := image.Decode(bytes.NewReader(stored)); err != nil {
				t.Errorf("%s no longer decodes: %v", c.kind, err)
			}
			fi, err := os.Stat(filepath.Join(dir, f.SHA256[:2], f.SHA256))
			if err != nil {
				t.Fatal(err)
			}
			if want := civil.DayStart(at); !fi.ModTime().Equal(want) {
				t.Errorf("%s file time %v, want the day's midnight %v", c.kind, fi.ModTime(), want)
			}
		}
	})
}

// A public tip writes no audit entry when it comes in: its place in the
// chain would date it to the minute. The day's tips are recorded in one
// entry per community, dated at the start of a day, when the office first
// reads them or, for the rest, just after the day ends (issue 12, finding 6).
func TestTipAuditEntryKeepsOnlyTheDay(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		ctx, st := t.Context(), s.st
		at := time.Date(2026, 11, 27, 14, 32, 10, 0, civil.Zone)
		st.SetClock(func() time.Time { return at })
		newest := func() store.AuditListed {
			t.Helper()
			es, err := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{Limit: 1})
			if err != nil || len(es) != 1 {
				t.Fatalf("audit log: %v", err)
			}
			return es[0]
		}
		tipLog := func(code string) []store.AuditListed {
			t.Helper()
			es, err := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{Action: "tip.add", Entity: "community", EntityID: code, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		receipt := func(code string) string {
			t.Helper()
			res, body := s.postTip(map[string]any{"community": code, "category": "bribery", "description": tipDescription}, nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("tip: %d %s", res.StatusCode, body)
			}
			var got struct{ Receipt string }
			json.Unmarshal(body, &got)
			return got.Receipt
		}
		bearer := map[string]string{"Authorization": "Bearer " + s.token("admin")}

		head := newest()
		receipt("QS-01-001")
		receipt("QS-01-001")
		if e := newest(); e.Seq != head.Seq {
			t.Fatalf("a public tip wrote audit entry %d (%s at %v) when it came in", e.Seq, e.Action, e.At)
		}

		// The office reads the tips: the day's tips so far go into the log first.
		at = at.Add(8 * time.Minute)
		var list struct{ Items []struct{ ID int64 } }
		s.getJSON2(bearer, "/api/v1/tips?community=QS-01-001", &list)
		entries := tipLog("QS-01-001")
		if len(entries) != 1 || len(list.Items) != 2 {
			t.Fatalf("%d entries for %d tips after the office read them, want one", len(entries), len(list.Items))
		}
		e := entries[0]
		if !e.At.Equal(civil.DayStart(at)) || e.Actor != store.Public.Name {
			t.Fatalf("entry dated %v by %q, want the start of the day by the public", e.At, e.Actor)
		}
		for _, want := range []string{`"day":"2026-11-27"`, `"count":2`, `"tip":` + itoa(list.Items[0].ID), `"tip":` + itoa(list.Items[1].ID)} {
			if !strings.Contains(e.After, want) {
				t.Errorf("entry %s lacks %s", e.After, want)
			}
		}
		for _, moment := range []string{"14:32", "06:32", "14:40", "06:40"} {
			if strings.Contains(e.After, moment) || strings.Contains(e.At.String(), moment) {
				t.Errorf("entry holds the moment %s: %v %s", moment, e.At, e.After)
			}
		}
		// Reading again records nothing more.
		s.getJSON2(bearer, "/api/v1/tips", &list)
		if len(tipLog("QS-01-001")) != 1 {
			t.Fatal("a second read wrote another entry")
		}

		// A tip the office has not read goes into the log just after its day ends.
		at = time.Date(2026, 11, 27, 21, 5, 0, 0, civil.Zone)
		receipt("QS-01-002")
		at = time.Date(2026, 11, 27, 23, 59, 0, 0, civil.Zone)
		if err := st.LogTips(ctx, false); err != nil {
			t.Fatal(err)
		}
		if n := len(tipLog("QS-01-002")); n != 0 {
			t.Fatalf("%d entries before the day ended", n)
		}
		at = time.Date(2026, 11, 28, 0, 5, 0, 0, civil.Zone)
		if err := st.LogTips(ctx, false); err != nil {
			t.Fatal(err)
		}
		late := tipLog("QS-01-002")
		if len(late) != 1 || !strings.Contains(late[0].After, `"day":"2026-11-27"`) || !late[0].At.Equal(civil.DayStart(at)) {
			t.Fatalf("entries after the day ended: %+v", late)
		}
		testdb.CheckAudit(t, st)
	})
}
