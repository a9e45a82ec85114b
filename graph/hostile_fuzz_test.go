package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"grappe/domain"
)

// post sends a raw JSON body to the handler as the holder of tok.
func (a *api) post(tok string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

// checkSafe fails unless rec is a GraphQL response without a 5xx status,
// an internal error or database text.
func checkSafe(t *testing.T, rec *httptest.ResponseRecorder, input any) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%#v: status %d: %s", input, rec.Code, rec.Body)
	}
	var out response
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%#v: not a GraphQL response: %s", input, rec.Body)
	}
	for _, e := range out.Errors {
		if e.Extensions["code"] == domain.CodeInternal || strings.Contains(e.Message, "internal error") || databaseText.MatchString(e.Message) {
			t.Fatalf("%#v: %s", input, rec.Body)
		}
	}
}

// FuzzMemberFilter sends arbitrary filter, order and paging arguments to
// the member listing.
func FuzzMemberFilter(f *testing.F) {
	a := newAPI(f)
	staff := token(f, domain.RoleStaff, "")
	a.exec(`INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A');
		INSERT INTO members (name, kind, joined_on, region, department, description, lat, lng)
		SELECT 'Membre ' || g, 'COMPANY', '2020-01-01'::date + g, 'Île-de-France', '95', 'Capteurs de pression ?',
		  CASE WHEN g % 5 > 0 THEN 49 + g / 100.0 END, CASE WHEN g % 5 > 0 THEN 2.1 - g / 100.0 END FROM generate_series(1, 30) g;
		INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t`)
	// Cursors are sealed with the database's key: the seeds take real ones
	// (in a fuzzing worker, whose database has another key, they are
	// foreign cursors).
	cursor := func(query string) string {
		var out struct {
			Members struct{ Edges []struct{ Cursor string } }
		}
		a.ok(staff, query, nil, &out)
		return out.Members.Edges[0].Cursor
	}
	nearCursor := cursor(`{ members(first: 1, filter: {near: {lat: 49, lng: 2.1, radiusKm: 50}}, orderBy: {field: DISTANCE}) { edges { cursor } } }`)
	f.Add("capteurs", "Île-de-France", "95", "VHJhZGU6MQ", "2020-01-01", "NAME", 5, "", 0.0, 0.0, 0.0)
	f.Add("capteurs ?", "", "", "", "", "", 2, cursor(`{ members(first: 1, filter: {search: "capteurs ?"}) { edges { cursor } } }`), 0.0, 0.0, 0.0)
	f.Add("'; DROP TABLE members; --", "a\x00", "%", "TWVtYmVyOjE", "0000-01-01", "HEADCOUNT", -1, "garbage", 0.0, 0.0, 0.0)
	f.Add("", "", "", "", "", "JOINED_ON", 101, cursor(`{ members(first: 1, orderBy: {field: JOINED_ON}) { edges { cursor } } }`), 0.0, 0.0, 0.0)
	f.Add("", "", "", "", "", "HEADCOUNT", 2, cursor(`{ members(first: 1, orderBy: {field: JOINED_ON}) { edges { cursor } } }`), 0.0, 0.0, 0.0)
	f.Add("", "", "", "", "", "DISTANCE", 3, nearCursor, 49.0, 2.1, 50.0)
	f.Add("capteurs", "", "", "", "", "DISTANCE", 3, nearCursor, 49.01, 2.1, 50.0)
	f.Add("", "", "", "", "", "DISTANCE", 3, "", 0.0, 0.0, 0.0)
	f.Add("", "", "", "", "", "NAME", 3, "", -90.0, 180.0, 1000.0)
	f.Add("", "", "", "", "", "DISTANCE", 3, "", 91.0, -181.0, -1.0)
	f.Add("", "", "", "", "", "DISTANCE", 3, "", 1e308, 5e-324, 1e-300)
	const q = `query($f: MemberFilter, $o: MemberOrder, $n: Int, $c: String) {
	  members(filter: $f, orderBy: $o, first: $n, after: $c) { totalCount edges { cursor node { name distanceKm } } pageInfo { endCursor } }
	}`
	f.Fuzz(func(t *testing.T, search, region, department, tradeID, joined, order string, first int, after string, lat, lng, radiusKm float64) {
		// Empty arguments are left out, so that one bad argument does not
		// hide what the others do; a near filter is sent unless all three of
		// its numbers are 0.
		filter := map[string]any{"statuses": []string{"ACTIVE", "LAPSED"}}
		for k, v := range map[string]any{"search": search, "regions": []string{region}, "departments": []string{department},
			"tradeIds": []string{tradeID}, "joinedAfter": joined} {
			if v != "" && fmt.Sprint(v) != "[]" {
				filter[k] = v
			}
		}
		if lat != 0 || lng != 0 || radiusKm != 0 {
			filter["near"] = map[string]any{"lat": lat, "lng": lng, "radiusKm": radiusKm}
		}
		vars := map[string]any{"f": filter, "o": map[string]any{"field": order}, "n": first, "c": after}
		if order == "" {
			delete(vars, "o")
		}
		if after == "" {
			delete(vars, "c")
		}
		body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
		if err != nil {
			t.Skip()
		}
		checkSafe(t, a.post(staff, body), vars)
	})
}

// FuzzVariables sends arbitrary bytes as the variables of fixed
// documents, queries and mutations.
func FuzzVariables(f *testing.F) {
	a := newAPI(f)
	staff := token(f, domain.RoleStaff, "")
	docs := []string{
		`query($f: MemberFilter, $o: MemberOrder, $n: Int, $l: Int, $c: String, $b: String) {
		  members(filter: $f, orderBy: $o, first: $n, last: $l, after: $c, before: $b) { totalCount edges { cursor node { name } } } }`,
		`query($ids: [ID!]!, $id: ID!) { nodes(ids: $ids) { id } node(id: $id) { id } member(id: $id) { name } }`,
		`mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id name address { city region } } } }`,
		`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
		`query($f: DashboardFilter, $from: Date, $to: Date, $i: Interval!, $y: Int!) {
		  dashboard(filter: $f) { memberCount growth(interval: $i, from: $from, to: $to) { total } retention(year: $y) } }`,
		`query($f: BusinessLinkFilter, $q: QuestionFilter, $g: GroupFilter, $n: Int, $c: String) {
		  businessLinks(filter: $f, first: $n, after: $c) { totalCount } questions(filter: $q, first: $n) { totalCount } groups(filter: $g) { totalCount } }`,
		`mutation($input: ScheduleTrainingInput!) { scheduleTraining(input: $input) { training { id title place } } }`,
		`query($f: TrainingFilter, $n: Int, $c: String, $id: ID!) {
		  trainings(filter: $f, first: $n, after: $c) { totalCount edges { cursor node { title } } }
		  node(id: $id) { ... on Training { registrations(first: $n, after: $c) { totalCount } attendees { name } } } }`,
		`mutation($r: RegisterForTrainingInput!, $c: CancelRegistrationInput!, $a: RecordTrainingAttendanceInput!, $t: CancelTrainingInput!) {
		  registerForTraining(input: $r) { training { id } } cancelRegistration(input: $c) { training { id } }
		  recordTrainingAttendance(input: $a) { training { id } } cancelTraining(input: $t) { training { id } } }`,
		`mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id at followUpOn } } }`,
		`mutation($input: CreateTradeShowInput!) { createTradeShow(input: $input) { tradeShow { id year startsOn endsOn visitorCount } } }`,
		`mutation($input: RecordLeadInput!) { recordLead(input: $input) { lead { id scannedAt visitorCompany } } }`,
		`mutation($input: CreatePurchasingCampaignInput!) { createPurchasingCampaign(input: $input) { campaign { id opensAt closesAt savings } } }`,
		`mutation($input: CommitToCampaignInput!) { commitToCampaign(input: $input) { campaign { totalQuantity savings viewerCommitment { quantity } } } }`,
		`query($f: PurchasingCampaignFilter, $n: Int, $c: String) { purchasingCampaigns(filter: $f, first: $n, after: $c) {
		  totalCount edges { node { commitments(first: $n) { totalCount } } } } }`,
	}
	f.Add(uint8(0), []byte(`{"f": {"search": "x", "regions": ["a"]}, "n": 5}`))
	f.Add(uint8(0), []byte(`{"f": {"near": {"lat": 49, "lng": 2, "radiusKm": 30}}, "o": {"field": "DISTANCE", "direction": "DESC"}, "l": 2}`))
	f.Add(uint8(0), []byte(`{"f": {"near": {"lat": "49", "lng": null, "radiusKm": 1e400}}, "o": {"field": "DISTANCE"}}`))
	f.Add(uint8(1), []byte(`{"ids": ["TWVtYmVyOjE", "x"], "id": "VHJhZGU6MQ"}`))
	f.Add(uint8(2), []byte(`{"input": {"name": "a\u0000", "kind": "COMPANY", "headcount": 1e400}}`))
	f.Add(uint8(2), []byte(`{"input": {"name": "Zoë", "kind": "LABORATORY", "address": {"postalCode": "95000"}, "joinedOn": "0000-01-01"}}`))
	f.Add(uint8(3), []byte(`{"input": {"groupId": "V29ya2luZ0dyb3VwOjE", "title": "t", "startsAt": "tomorrow", "durationMinutes": 60, "agenda": [{"title": "a", "minutes": 10}], "expectedOutcome": "o"}}`))
	f.Add(uint8(4), []byte(`{"i": "MONTH", "from": "1900-01-01", "to": "9999-12-31", "y": 2147483647}`))
	f.Add(uint8(5), []byte(`{"f": {"memberIds": ["TWVtYmVyOjE"], "sinceAfter": "2020-02-30"}, "n": -5, "c": "eyJ9"}`))
	f.Add(uint8(6), []byte(`{"input": {"title": "CGV\u0000", "theme": "OTHER", "startsAt": "2026-13-01T09:00:00Z", "durationMinutes": 60, "capacity": 2147483648, "place": "Cergy"}}`))
	f.Add(uint8(6), []byte(`{"input": {"title": "Sécurité routière", "theme": "SMALL_BUSINESS_SUPPORT", "startsAt": "2027-01-12T08:00:00Z", "durationMinutes": 120, "capacity": 12}}`))
	f.Add(uint8(7), []byte(`{"f": {"themes": ["PURCHASING"], "from": "2026-06-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "statuses": ["HELD"]}, "n": 101, "c": "eyJ9", "id": "VHJhaW5pbmc6MQ"}`))
	f.Add(uint8(9), []byte(`{"input": {"memberId": "TWVtYmVyOjE", "channel": "CALL", "summary": "\u0000", "at": "0001-01-01T00:00:00Z", "followUpOn": "99999-01-01"}}`))
	f.Add(uint8(8), []byte(`{"r": {"trainingId": "VHJhaW5pbmc6MQ", "memberId": "TWVtYmVyOjE"}, "c": {"trainingId": "TWVtYmVyOjE", "memberId": "VHJhaW5pbmc6MQ"}, "a": {"trainingId": "VHJhaW5pbmc6MQ", "attendeeIds": []}, "t": {"trainingId": "%%%"}}`))
	f.Add(uint8(10), []byte(`{"input": {"edition": -1, "city": "\u0000", "venue": "v", "startsOn": "0000-01-01", "endsOn": "99999-12-31", "visitorCount": 1e400}}`))
	f.Add(uint8(11), []byte(`{"input": {"tradeShowId": "VHJhZGVTaG93OjE", "exhibitorId": "RXhoaWJpdG9yOjE", "visitorCompany": "\u0000", "scannedAt": "0001-01-01T00:00:00Z"}}`))
	f.Add(uint8(12), []byte(`{"input": {"title": "Peinture", "supplier": "s", "unit": "l", "listPrice": 100, "negotiatedPrice": 101, "currency": "eur", "closesAt": "2099-01-01T00:00:00Z"}}`))
	f.Add(uint8(12), []byte(`{"input": {"title": "\u0000", "supplier": "s", "unit": "l", "listPrice": -1e300, "negotiatedPrice": 0, "opensAt": "9999-12-31T23:59:59Z", "closesAt": "0001-01-01T00:00:00Z", "groupId": "V29ya2luZ0dyb3VwOjE"}}`))
	f.Add(uint8(13), []byte(`{"input": {"campaignId": "UHVyY2hhc2luZ0NhbXBhaWduOjE", "memberId": "TWVtYmVyOjE", "quantity": -2147483649}}`))
	f.Add(uint8(14), []byte(`{"f": {"statuses": ["OPEN", "open"], "groupIds": ["TWVtYmVyOjE"]}, "n": 0, "c": "x"}`))
	f.Fuzz(func(t *testing.T, which uint8, vars []byte) {
		doc, _ := json.Marshal(docs[int(which)%len(docs)])
		body := append(append(append([]byte(`{"query": `), doc...), `, "variables": `...), vars...)
		body = append(body, '}')
		checkSafe(t, a.post(staff, body), string(vars))
	})
}
