package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

func idWithRegion(region, birth, seq string) string {
	first := region + birth + seq
	return first + string(idcard.CheckDigit(first))
}

// Finding 10: an ID number whose address code begins with no province is
// refused in Chinese; one whose county GB/T 2260 lacks is registered, and
// the reviewer sees a warning on the aspirant's page and in its JSON.
func TestAspirantRegionCode(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", "张无区", idWithRegion("000302", "19800315", "123")), nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		if !strings.Contains(string(body), "省级行政区划代码") || !strings.Contains(string(body), `"field":"id_number"`) {
			t.Fatalf("region 000302: %s", body)
		}
		for _, c := range []struct {
			region, name string
			warn         bool
		}{{"370399", "张未知", true}, {"370302", "张张店", false}} {
			res, body = s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", c.name, idWithRegion(c.region, "19800315", "135")), nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("register %s: %d %s", c.region, res.StatusCode, body)
			}
			var a struct {
				ID            int64  `json:"id"`
				RegionWarning string `json:"region_warning"`
			}
			jsonInto(t, body, &a)
			var got struct {
				Aspirant struct {
					RegionWarning string `json:"region_warning"`
				} `json:"aspirant"`
			}
			s.getJSON(admin, "/api/v1/aspirants/"+strconv.FormatInt(a.ID, 10), &got)
			_, page := s.call(admin, "GET", "/aspirants/"+strconv.FormatInt(a.ID, 10), nil, nil)
			shown := strings.Contains(string(page), `data-testid="region-warning"`)
			if (got.Aspirant.RegionWarning != "") != c.warn || (a.RegionWarning != "") != c.warn || shown != c.warn ||
				(c.warn && !strings.Contains(got.Aspirant.RegionWarning, c.region)) {
				t.Errorf("%s: JSON warning %q, on registering %q, page shows one: %v; want one: %v",
					c.region, got.Aspirant.RegionWarning, a.RegionWarning, shown, c.warn)
			}
		}
	})
}
