package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/generated"
)

// The hostile-input battery: every request below is refused (or, for the
// read-only ones, answered) with the right code, never a 5xx, an internal
// error or database text, and leaves the database exactly as it was.

// sqlMetacharacters are values that are legitimate data: a valid mutation
// stores them verbatim and a filter treats them as plain text.
var sqlMetacharacters = []string{
	`O'Brien`,
	`'; DROP TABLE members; --`,
	`"); DELETE FROM trades; --`,
	`back\slash \\ \' \x00 \0`,
	`100% _sure_ %% __`,
	`? ?0 $1 ?TableName ?TableAlias`,
	`/* comment */ -- line`,
	"tab\tnew\nline \x01\x7f",
	`Zoë ☃ 𝄞 🦀 ٣`,
	`<script>alert(1)</script>`,
}

// nasty is a refused text value and why.
type nasty struct {
	name  string
	value string
}

var refusedText = []nasty{
	{"NUL byte", "a\x00b"},
	{"huge string", strings.Repeat("x", 100_000)},
}

// formatFields are input fields with a format (codes, URLs, addresses):
// SQL metacharacters there are refused as BAD_USER_INPUT, not stored.
var formatFields = map[string]bool{
	"legalId": true, "foreignParentCountry": true, "website": true, "postalCode": true,
	"department": true, "country": true, "email": true, "phone": true, "code": true, "currency": true,
}

// fixture creates, through the API, the objects mutations need: each call
// makes fresh ones so that a mutation can succeed once per call.
type fixture struct {
	t     *testing.T
	a     *api
	staff string
	n     int
	// shows counts the shows created (one a year from 1950); show is the
	// show the exhibitors and leads of the fixtures go to.
	shows int
	show  string
}

func newFixture(t *testing.T, a *api) *fixture {
	return &fixture{t: t, a: a, staff: token(t, domain.RoleStaff, "")}
}

// mutate runs mutation name with input as staff and returns the value at
// path in its payload (e.g. "member.id").
func (f *fixture) mutate(name string, input map[string]any, sel, path string) string {
	f.t.Helper()
	typ := strings.ToUpper(name[:1]) + name[1:] + "Input"
	var out map[string]any
	f.a.ok(f.staff, fmt.Sprintf(`mutation($input: %s!) { %s(input: $input) { %s } }`, typ, name, sel),
		map[string]any{"input": input}, &out)
	v := any(out[name])
	for _, k := range strings.Split(path, ".") {
		v = v.(map[string]any)[k]
	}
	s, _ := v.(string)
	return s
}

func (f *fixture) seq() int { f.n++; return f.n }

func (f *fixture) member() string {
	return f.mutate("createMember", map[string]any{"name": fmt.Sprintf("Fixture %d", f.seq()), "kind": "COMPANY"}, "member { id }", "member.id")
}

func (f *fixture) code() string { return fmt.Sprintf("FIXTURE_%d", f.seq()) }

func (f *fixture) trade() string {
	return f.mutate("createTrade", map[string]any{"code": f.code(), "nameEn": "Fixture", "nameFr": "Fixture"}, "trade { id }", "trade.id")
}

func (f *fixture) link(confirmed bool) string {
	id := f.mutate("declareBusinessLink", map[string]any{"fromId": f.member(), "toId": f.member(), "kind": "SUPPLY"}, "link { id }", "link.id")
	if confirmed {
		f.mutate("confirmBusinessLink", map[string]any{"id": id}, "link { id }", "link.id")
	}
	return id
}

func (f *fixture) question() string {
	return f.mutate("raiseQuestion", map[string]any{"memberId": f.member(), "text": "Fixture question", "theme": "OTHER"}, "question { id }", "question.id")
}

type fixtureGroup struct {
	id      string
	members []string // the lead first
}

func (f *fixture) group() fixtureGroup {
	ms := []string{f.member(), f.member(), f.member()}
	q := f.mutate("raiseQuestion", map[string]any{"memberId": ms[0], "text": "Fixture question", "theme": "PURCHASING"}, "question { id }", "question.id")
	f.mutate("supportQuestion", map[string]any{"questionId": q, "memberId": ms[1]}, "question { id }", "question.id")
	g := f.mutate("supportQuestion", map[string]any{"questionId": q, "memberId": ms[2]}, "groupFormed { id }", "groupFormed.id")
	return fixtureGroup{id: g, members: ms}
}

func (f *fixture) meeting(g string) string {
	return f.mutate("scheduleMeeting", meetingInput(g, time.Now().Add(48*time.Hour)), "meeting { id }", "meeting.id")
}

// training schedules a training starting at startsAt (in the past, its
// attendance can be recorded).
func (f *fixture) training(startsAt time.Time) string {
	return f.mutate("scheduleTraining", trainingInput(startsAt, 12), "training { id }", "training.id")
}

// registered returns a training and a member registered for it.
func (f *fixture) registered(startsAt time.Time) (training, member string) {
	training, member = f.training(startsAt), f.member()
	f.mutate("registerForTraining", map[string]any{"trainingId": training, "memberId": member}, "training { id }", "training.id")
	return training, member
}

// newShow returns the input of a show of a year no other fixture has.
func (f *fixture) newShow() map[string]any {
	f.shows++
	return map[string]any{"edition": f.shows, "city": "Lyon", "venue": "Eurexpo",
		"startsOn": fmt.Sprintf("%d-10-06", 1950+f.shows), "endsOn": fmt.Sprintf("%d-10-08", 1950+f.shows), "visitorCount": 2000}
}

// tradeShow returns the show of the fixtures' exhibitors, held in 2024.
func (f *fixture) tradeShow() string {
	if f.show == "" {
		f.show = f.mutate("createTradeShow", map[string]any{"edition": 1000, "city": "Paris", "venue": "Paris Expo",
			"startsOn": "2024-10-01", "endsOn": "2024-10-03"}, "tradeShow { id }", "tradeShow.id")
	}
	return f.show
}

// exhibitor adds a fresh exhibitor to the fixtures' show: a member when
// member is set, else a company with a trade.
func (f *fixture) exhibitor(member string) string {
	in := map[string]any{"tradeShowId": f.tradeShow(), "booth": fmt.Sprintf("F%d", f.seq())}
	if member != "" {
		in["memberId"] = member
	} else {
		in["name"], in["tradeIds"] = fmt.Sprintf("Exhibitor %d", f.seq()), []any{f.trade()}
	}
	return f.mutate("addExhibitor", in, "exhibitor { id }", "exhibitor.id")
}

// campaign creates a purchasing campaign of staff alone, closing in a
// week; open opens it, commit has a new member commit to it.
func (f *fixture) campaign(open, commit bool) string {
	c := f.mutate("createPurchasingCampaign", map[string]any{"title": fmt.Sprintf("Fixture campaign %d", f.seq()), "supplier": "Supplier",
		"unit": "litre", "listPrice": 1000, "negotiatedPrice": 800, "closesAt": time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)},
		"campaign { id }", "campaign.id")
	if open {
		f.mutate("openPurchasingCampaign", map[string]any{"campaignId": c}, "campaign { id }", "campaign.id")
	}
	if commit {
		f.mutate("commitToCampaign", map[string]any{"campaignId": c, "memberId": f.member(), "quantity": 5}, "campaign { id }", "campaign.id")
	}
	return c
}

// validInputs returns, for each mutation, a valid input built on fresh
// fixtures. The battery fails for a mutation missing here, so that a new
// mutation's string inputs are covered as soon as it exists.
var validInputs = map[string]func(f *fixture) map[string]any{
	"createMember": func(f *fixture) map[string]any { return map[string]any{"name": "Base", "kind": "COMPANY"} },
	"updateMember": func(f *fixture) map[string]any { return map[string]any{"id": f.member()} },
	"setMemberTrades": func(f *fixture) map[string]any {
		return map[string]any{"memberId": f.member(), "tradeIds": []any{f.trade()}}
	},
	"endMembership": func(f *fixture) map[string]any { return map[string]any{"memberId": f.member()} },
	"addContact": func(f *fixture) map[string]any {
		return map[string]any{"memberId": f.member(), "name": "Jeanne Martin"}
	},
	"removeContact": func(f *fixture) map[string]any {
		c := f.mutate("addContact", map[string]any{"memberId": f.member(), "name": "Jeanne"}, "contact { id }", "contact.id")
		return map[string]any{"id": c}
	},
	"eraseContact": func(f *fixture) map[string]any {
		c := f.mutate("addContact", map[string]any{"memberId": f.member(), "name": "Jeanne"}, "contact { id }", "contact.id")
		return map[string]any{"id": c}
	},
	"createTrade": func(f *fixture) map[string]any {
		return map[string]any{"code": f.code(), "nameEn": "Trade", "nameFr": "Métier"}
	},
	"addTradeComplement": func(f *fixture) map[string]any {
		return map[string]any{"tradeId": f.trade(), "otherTradeId": f.trade(), "kind": "SUPPLY"}
	},
	"removeTradeComplement": func(f *fixture) map[string]any {
		in := map[string]any{"tradeId": f.trade(), "otherTradeId": f.trade(), "kind": "SUPPLY"}
		f.mutate("addTradeComplement", in, "trade { id }", "trade.id")
		return in
	},
	"declareBusinessLink": func(f *fixture) map[string]any {
		return map[string]any{"fromId": f.member(), "toId": f.member(), "kind": "SUPPLY"}
	},
	"confirmBusinessLink": func(f *fixture) map[string]any { return map[string]any{"id": f.link(false)} },
	"declineBusinessLink": func(f *fixture) map[string]any { return map[string]any{"id": f.link(false)} },
	"endBusinessLink":     func(f *fixture) map[string]any { return map[string]any{"id": f.link(true)} },
	"raiseQuestion": func(f *fixture) map[string]any {
		return map[string]any{"memberId": f.member(), "text": "Who sells calibration gas?", "theme": "PURCHASING"}
	},
	"supportQuestion": func(f *fixture) map[string]any {
		return map[string]any{"questionId": f.question(), "memberId": f.member()}
	},
	"withdrawSupport": func(f *fixture) map[string]any {
		in := map[string]any{"questionId": f.question(), "memberId": f.member()}
		f.mutate("supportQuestion", in, "question { id }", "question.id")
		return in
	},
	"joinGroup": func(f *fixture) map[string]any {
		return map[string]any{"groupId": f.group().id, "memberId": f.member()}
	},
	"leaveGroup": func(f *fixture) map[string]any {
		g := f.group()
		return map[string]any{"groupId": g.id, "memberId": g.members[2]}
	},
	"closeGroup": func(f *fixture) map[string]any { return map[string]any{"groupId": f.group().id} },
	"scheduleMeeting": func(f *fixture) map[string]any {
		return meetingInput(f.group().id, time.Now().Add(72*time.Hour))
	},
	"recordMeetingOutcome": func(f *fixture) map[string]any {
		g := f.group()
		return map[string]any{"meetingId": f.meeting(g.id), "outcome": "Supplier chosen", "attendeeIds": []any{g.members[0]}}
	},
	"cancelMeeting": func(f *fixture) map[string]any { return map[string]any{"meetingId": f.meeting(f.group().id)} },
	"publishActionPlan": func(f *fixture) map[string]any {
		return map[string]any{"groupId": f.group().id, "summary": "What we do next", "items": []any{map[string]any{"title": "Ask three quotes"}}}
	},
	"logTouchpoint": func(f *fixture) map[string]any {
		return map[string]any{"memberId": f.member(), "channel": "CALL", "summary": "Called about the fair", "followUpOn": "2027-01-04"}
	},
	"createTradeShow": func(f *fixture) map[string]any { return f.newShow() },
	"updateTradeShow": func(f *fixture) map[string]any {
		return map[string]any{"tradeShowId": f.tradeShow(), "city": "Lyon", "venue": "Eurexpo", "visitorCount": 2100}
	},
	"addExhibitor": func(f *fixture) map[string]any {
		return map[string]any{"tradeShowId": f.tradeShow(), "name": fmt.Sprintf("Exhibitor %d", f.seq()),
			"booth": fmt.Sprintf("G%d", f.seq()), "tradeIds": []any{f.trade()}}
	},
	"removeExhibitor": func(f *fixture) map[string]any { return map[string]any{"exhibitorId": f.exhibitor("")} },
	"recordLead": func(f *fixture) map[string]any {
		return map[string]any{"tradeShowId": f.tradeShow(), "exhibitorId": f.exhibitor(f.member()), "visitorCompany": "Visiteur SA",
			"note": "Wants a quote"}
	},
	"convertLeadToLink": func(f *fixture) map[string]any {
		lead := f.mutate("recordLead", map[string]any{"tradeShowId": f.tradeShow(), "exhibitorId": f.exhibitor(f.member()),
			"visitorMemberId": f.member()}, "lead { id }", "lead.id")
		return map[string]any{"leadId": lead, "kind": "SUPPLY", "note": "Met at the show"}
	},
	"completeFollowUp": func(f *fixture) map[string]any {
		tp := f.mutate("logTouchpoint", map[string]any{"memberId": f.member(), "channel": "VISIT", "summary": "Visit", "followUpOn": "2027-01-04"},
			"touchpoint { id }", "touchpoint.id")
		return map[string]any{"touchpointId": tp}
	},
	"scheduleTraining": func(f *fixture) map[string]any { return trainingInput(time.Now().Add(72*time.Hour), 12) },
	"registerForTraining": func(f *fixture) map[string]any {
		return map[string]any{"trainingId": f.training(time.Now().Add(72 * time.Hour)), "memberId": f.member()}
	},
	"cancelRegistration": func(f *fixture) map[string]any {
		training, member := f.registered(time.Now().Add(72 * time.Hour))
		return map[string]any{"trainingId": training, "memberId": member}
	},
	"recordTrainingAttendance": func(f *fixture) map[string]any {
		training, member := f.registered(time.Now().Add(-2 * time.Hour))
		return map[string]any{"trainingId": training, "attendeeIds": []any{member}}
	},
	"cancelTraining": func(f *fixture) map[string]any {
		return map[string]any{"trainingId": f.training(time.Now().Add(72 * time.Hour))}
	},
	"createPurchasingCampaign": func(f *fixture) map[string]any {
		return map[string]any{"title": "Peinture 2027", "description": "Peinture époxy, livrée en fûts", "category": "PAINT",
			"supplier": "Peintures du Vexin", "unit": "litre", "listPrice": 1850, "negotiatedPrice": 1400, "currency": "EUR",
			"minimumQuantity": 500, "opensAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
			"closesAt": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)}
	},
	"openPurchasingCampaign": func(f *fixture) map[string]any { return map[string]any{"campaignId": f.campaign(false, false)} },
	"commitToCampaign": func(f *fixture) map[string]any {
		return map[string]any{"campaignId": f.campaign(true, false), "memberId": f.member(), "quantity": 12}
	},
	"closePurchasingCampaign": func(f *fixture) map[string]any { return map[string]any{"campaignId": f.campaign(true, false)} },
	"markCampaignOrdered": func(f *fixture) map[string]any {
		c := f.campaign(true, true)
		f.mutate("closePurchasingCampaign", map[string]any{"campaignId": c}, "campaign { id }", "campaign.id")
		return map[string]any{"campaignId": c}
	},
	"cancelPurchasingCampaign": func(f *fixture) map[string]any { return map[string]any{"campaignId": f.campaign(false, false)} },
}

// manyTrades returns n made-up trade ids.
func manyTrades(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = globalid.Encode(globalid.TypeTrade, int64(i+1))
	}
	return out
}

// inputPath is the position of a String field inside a mutation input:
// field names and list indexes.
type inputPath []any

// field is the path as the API names it in extensions.field.
func (p inputPath) field() string {
	var b strings.Builder
	for _, k := range p {
		switch k := k.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

func (p inputPath) last() string { return p[len(p)-1].(string) }

// stringPaths walks an input type of the schema and returns the paths of
// its String fields (not IDs), through nested input objects and lists.
func stringPaths(s *ast.Schema, typ *ast.Type, prefix inputPath) []inputPath {
	return scalarPaths(s, typ, prefix, "String")
}

// scalarPaths returns the paths of the fields of scalar type name in an
// input type, through nested input objects and lists.
func scalarPaths(s *ast.Schema, typ *ast.Type, prefix inputPath, name string) []inputPath {
	if typ.Elem != nil {
		return scalarPaths(s, typ.Elem, append(append(inputPath{}, prefix...), 0), name)
	}
	def := s.Types[typ.NamedType]
	switch {
	case def.Name == name:
		return []inputPath{prefix}
	case def.Kind == ast.InputObject:
		var out []inputPath
		for _, f := range def.Fields {
			out = append(out, scalarPaths(s, f.Type, append(append(inputPath{}, prefix...), f.Name), name)...)
		}
		return out
	}
	return nil
}

// withValue returns a deep copy of in with v at path (creating objects on
// the way; lists must exist in in).
func withValue(in map[string]any, path inputPath, v any) map[string]any {
	b, _ := json.Marshal(in)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	var cur any = out
	for i, k := range path {
		lastStep := i == len(path)-1
		switch k := k.(type) {
		case string:
			m := cur.(map[string]any)
			switch {
			case lastStep:
				m[k] = v
			case m[k] != nil:
			case isIndex(path[i+1]):
				m[k] = []any{nil} // a list of scalars missing from in
			default:
				m[k] = map[string]any{}
			}
			cur = m[k]
		case int:
			l := cur.([]any)
			if lastStep {
				l[k] = v
			}
			cur = l[k]
		}
	}
	return out
}

func isIndex(k any) bool { _, ok := k.(int); return ok }

// mutationInputs returns the mutations of the schema with the type of
// their input argument, sorted by name.
func mutationInputs(t *testing.T) (*ast.Schema, []*ast.FieldDefinition) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	fields := append([]*ast.FieldDefinition{}, s.Mutation.Fields...)
	sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	for _, f := range fields {
		if len(f.Arguments) != 1 || f.Arguments[0].Name != "input" {
			t.Fatalf("mutation %s does not take one input argument", f.Name)
		}
		if validInputs[f.Name] == nil {
			t.Errorf("mutation %s has no valid input in validInputs: add one so the battery covers it", f.Name)
		}
	}
	return s, fields
}

func mutationByName(fields []*ast.FieldDefinition, name string) *ast.FieldDefinition {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	panic("no mutation " + name)
}

func mutationDoc(f *ast.FieldDefinition) string {
	return fmt.Sprintf(`mutation($input: %s) { %s(input: $input) { clientMutationId } }`, f.Arguments[0].Type.String(), f.Name)
}

// hostileCase is one request of the battery and what must come back.
type hostileCase struct {
	name  string
	tok   string
	query string
	vars  map[string]any
	op    string // operationName
	body  string // the raw body, instead of query, vars and op
	get   bool   // send query and vars as a GET
	raw   string // with get: the raw variables parameter, instead of vars

	status int    // expected HTTP status; 0 means 200
	code   string // expected extensions.code of the first error; "" for none
	field  string // expected extensions.field, if any
	// listField accepts the field of a list without its index
	// ("tradeIds" for "tradeIds[0]").
	listField bool
	check     func(t *testing.T, data json.RawMessage)
}

// gqlBody returns the JSON body of a GraphQL request.
func gqlBody(query string, vars map[string]any, op string) string {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	if op != "" {
		req["operationName"] = op
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// databaseText matches what a database error would leak.
var databaseText = regexp.MustCompile(`(?i)SQLSTATE|pq:|pgdriver|ERROR:|violates|relation "|column "|constraint "|syntax error|` +
	`business_links|member_trades|trade_complements|question_supports|working_groups|group_participants|meeting_attendees|action_plans|bun_|` +
	`purchasing_campaigns|campaign_commitments|` +
	`\b(members|trades|contacts|questions|meetings|small_world)\.\w|"(members|trades|contacts|questions|meetings)"`)

// run sends c and checks the common expectations and c's own.
func (c hostileCase) run(t *testing.T, a *api) {
	t.Helper()
	hc := httpCase{method: http.MethodPost, contentType: mediaJSON, body: c.body, tok: c.tok}
	if c.body == "" {
		hc.body = gqlBody(c.query, c.vars, c.op)
	}
	if c.get {
		hc.method, hc.body, hc.contentType = http.MethodGet, "", ""
		hc.query = url.Values{"query": {c.query}}
		if c.vars != nil {
			b, _ := json.Marshal(c.vars)
			hc.query.Set("variables", string(b))
		}
		if c.raw != "" {
			hc.query.Set("variables", c.raw)
		}
	}
	resp := a.send(hc)
	b, _ := io.ReadAll(resp.Body)
	want := c.status
	if want == 0 {
		want = http.StatusOK
	}
	short := string(b)
	if len(short) > 600 {
		short = short[:600] + "…"
	}
	if resp.StatusCode >= 500 || resp.StatusCode != want {
		t.Errorf("status %d, want %d: %s", resp.StatusCode, want, short)
	}
	var out response
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("not a GraphQL response: %s", short)
	}
	for _, e := range out.Errors {
		if e.Extensions["code"] == domain.CodeInternal || strings.Contains(e.Message, "internal error") {
			t.Errorf("internal error: %s", short)
		}
		if m := databaseText.FindString(e.Message); m != "" {
			t.Errorf("database text %q in error %q", m, e.Message)
		}
	}
	if out.code() != c.code {
		t.Errorf("code %q, want %q: %s", out.code(), c.code, short)
	}
	if got := out.Errors; c.field != "" && len(got) > 0 && got[0].Extensions["field"] != c.field &&
		!(c.listField && got[0].Extensions["field"] == strings.TrimSuffix(c.field, "[0]")) {
		t.Errorf("field %v, want %q: %s", out.Errors[0].Extensions["field"], c.field, short)
	}
	if c.check != nil && !t.Failed() {
		c.check(t, out.Data)
	}
}

// snapshot returns, for every table of the public schema, its row count
// and a checksum of its rows.
func snapshot(t *testing.T, a *api) map[string]string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	if err := a.db.Bun().NewRaw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	out := map[string]string{}
	for _, table := range tables {
		var n int
		var sum string
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM %q t`, table)
		if err := a.db.Bun().QueryRowContext(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		out[table] = fmt.Sprintf("%d rows, md5 %s", n, sum)
	}
	return out
}

// base64Of encodes raw as base64url without padding, the form of global
// ids (and the outer form of cursors).
func base64Of(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }

// zeroCount checks that the first number in data is 0 (a filter matched
// nothing).
func zeroCount(t *testing.T, data json.RawMessage) {
	t.Helper()
	if !regexp.MustCompile(`^\{"\w+":\{"\w+":0[,}]`).Match(data) {
		t.Errorf("the filter matched something: %s", data)
	}
}

// TestHostileInput runs the battery of refused requests and checks the
// database did not change.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	f := newFixture(t, a)
	staff := f.staff
	s, mutations := mutationInputs(t)

	// Fixtures, made before the snapshot.
	base := map[string]map[string]any{}
	for _, m := range mutations {
		if build := validInputs[m.Name]; build != nil {
			base[m.Name] = build(f)
		}
	}
	member, trade, question := f.member(), f.trade(), f.question()
	g := f.group()
	meeting := f.meeting(g.id)
	contact := f.mutate("addContact", map[string]any{"memberId": member, "name": "Jeanne"}, "contact { id }", "contact.id")
	f.link(true)
	f.mutate("publishActionPlan", map[string]any{"groupId": g.id, "summary": "Plan", "items": []any{map[string]any{"title": "Act"}}},
		"actionPlan { id }", "actionPlan.id")
	training, _ := f.registered(time.Now().Add(72 * time.Hour))
	// The trade show's: a show, an exhibitor of another show, a member
	// exhibitor and its lead of a company.
	show := f.tradeShow()
	otherShow := f.mutate("createTradeShow", f.newShow(), "tradeShow { id }", "tradeShow.id")
	otherExhibitor := f.mutate("addExhibitor", map[string]any{"tradeShowId": otherShow, "memberId": f.member(), "booth": "A1"},
		"exhibitor { id }", "exhibitor.id")
	exhibiting := f.member()
	exhibitor := f.exhibitor(exhibiting)
	companyLead := f.mutate("recordLead", map[string]any{"tradeShowId": show, "exhibitorId": exhibitor, "visitorCompany": "Visiteur SA"},
		"lead { id }", "lead.id")

	var cases []hostileCase
	add := func(c ...hostileCase) { cases = append(cases, c...) }

	// Every String field of every mutation input, with each refused value,
	// as a variable and (for NUL) as a literal in the document.
	for _, m := range mutations {
		in := base[m.Name]
		if in == nil {
			continue
		}
		for _, p := range stringPaths(s, m.Arguments[0].Type, nil) {
			if p.last() == "clientMutationId" {
				continue // opaque, echoed back: see TestHostileTextRoundTrips
			}
			for _, v := range refusedText {
				add(hostileCase{
					name: fmt.Sprintf("%s %s: %s", m.Name, p.field(), v.name), tok: staff,
					query: mutationDoc(m), vars: map[string]any{"input": withValue(in, p, v.value)},
					code: domain.CodeBadUserInput, field: p.field(),
				})
			}
		}
	}
	// Every ID field of every mutation input, malformed or of a type that
	// does not exist.
	for _, m := range mutations {
		in := base[m.Name]
		if in == nil {
			continue
		}
		for _, p := range scalarPaths(s, m.Arguments[0].Type, nil, "ID") {
			for _, v := range []nasty{{"malformed id", "%%%"}, {"id of no type", globalid.Encode("Nothing", 1)}, {"SQL id", "1; DROP TABLE members"}} {
				add(hostileCase{
					name: fmt.Sprintf("%s %s: %s", m.Name, p.field(), v.name), tok: staff,
					query: mutationDoc(m), vars: map[string]any{"input": withValue(in, p, v.value)},
					code: domain.CodeBadUserInput, field: p.field(), listField: true,
				})
			}
		}
	}
	add(hostileCase{
		name: "NUL byte in a string literal", tok: staff,
		query: `mutation { createMember(input: {name: "a\u0000b", kind: COMPANY}) { member { id } } }`,
		code:  domain.CodeBadUserInput, field: "name",
	})

	// Filters and other string arguments of queries: SQL metacharacters are
	// plain text matching nothing, NUL bytes are refused.
	filterQueries := []struct {
		query string
		vars  func(v string) map[string]any
		field string
	}{
		{`query($v: String) { members(filter: {search: $v}) { totalCount edges { cursor } } }`, func(v string) map[string]any { return map[string]any{"v": v} }, "filter.search"},
		{`query($v: String) { members(filter: {search: $v}, first: 1, after: "x") { totalCount } }`, nil, ""},
		{`query($v: [String!]) { members(filter: {regions: $v}) { totalCount edges { cursor } } }`, func(v string) map[string]any { return map[string]any{"v": []string{v}} }, "filter.regions"},
		{`query($v: [String!]) { members(filter: {departments: $v}) { totalCount edges { cursor } } }`, func(v string) map[string]any { return map[string]any{"v": []string{v}} }, "filter.departments"},
		{`query($v: [String!]) { dashboard(filter: {regions: $v}) { memberCount byRegion { count } } }`, func(v string) map[string]any { return map[string]any{"v": []string{v}} }, "filter.regions"},
		{`query($v: [String!]) { auditLog(filter: {mutations: $v}) { totalCount } }`, func(v string) map[string]any { return map[string]any{"v": []string{v}} }, "filter.mutations"},
	}
	for _, q := range filterQueries {
		if q.vars == nil {
			continue
		}
		for _, v := range sqlMetacharacters {
			add(hostileCase{name: fmt.Sprintf("%s = %q", q.field, v), tok: staff, query: q.query, vars: q.vars(v), check: zeroCount})
		}
		add(hostileCase{name: q.field + " with a NUL byte", tok: staff, query: q.query, vars: q.vars("a\x00b"), code: domain.CodeBadUserInput, field: q.field})
	}
	add(
		hostileCase{name: "search too long", tok: staff, query: filterQueries[0].query, vars: map[string]any{"v": strings.Repeat("é", 201)}, code: domain.CodeBadUserInput, field: "filter.search"},
		hostileCase{name: "__type of a NUL name", tok: staff, query: `query($n: String!) { __type(name: $n) { name } }`, vars: map[string]any{"n": "\x00"},
			check: func(t *testing.T, data json.RawMessage) {
				if string(data) != `{"__type":null}` {
					t.Errorf("data %s", data)
				}
			}},
	)

	// Invalid UTF-8: raw bytes in the body (json.Marshal would mend them).
	invalid := func(name, query, vars string) hostileCase {
		return hostileCase{name: name, tok: staff, body: `{"query": "` + query + `", "variables": ` + vars + `}`,
			status: http.StatusBadRequest, code: "BAD_REQUEST"}
	}
	createDoc := `mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id } } }`
	add(
		invalid("invalid UTF-8 in a variable", createDoc, "{\"input\": {\"name\": \"caf\xe9\", \"kind\": \"COMPANY\"}}"),
		invalid("invalid UTF-8 in a nested variable", createDoc, "{\"input\": {\"name\": \"x\", \"kind\": \"COMPANY\", \"address\": {\"city\": \"\xff\xfe\"}}}"),
		invalid("invalid UTF-8 in a search", `query($v: String) { members(filter: {search: $v}) { totalCount } }`, "{\"v\": \"\xc3\x28\"}"),
		invalid("invalid UTF-8 in the document", "mutation { createMember(input: {name: \\\"\xed\xa0\x80\\\", kind: COMPANY}) { member { id } } }", "{}"),
		invalid("overlong UTF-8 encoding", createDoc, "{\"input\": {\"name\": \"\xc0\xaf\", \"kind\": \"COMPANY\"}}"),
		hostileCase{name: "invalid UTF-8 in GET variables", get: true, tok: staff, query: `query($v: String) { members(filter: {search: $v}) { totalCount } }`,
			raw: "{\"v\": \"caf\xe9\"}", status: http.StatusBadRequest, code: "BAD_REQUEST"},
		hostileCase{name: "invalid UTF-8 in a GET query", get: true, tok: staff, query: "{ member(id: \"\xff\") { id } }", status: http.StatusBadRequest, code: "BAD_REQUEST"},
		hostileCase{name: "malformed GET variables", get: true, tok: staff, query: `query($v: String) { members(filter: {search: $v}) { totalCount } }`,
			raw: `{"v": `, status: http.StatusBadRequest, code: "BAD_REQUEST"},
	)

	// Malformed JSON and wrong types.
	for _, body := range []string{
		`{"query": "{ trades { code } }"`, `{"query": "{ trades { code } }",}`, `{'query': '{ trades { code } }'}`,
		`{"query": "{ trades { code } }", "variables": {"a": NaN}}`, "{\"query\": \"{ trades {\x01 code } }\"}",
		`{"query": "{ trades { code } }", "variables": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
		`{"query": "{ trades { code } }", "variables": {"a": ` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000) + `}}`,
		`{"query": {"$ne": null}}`, `{"query": ["{ trades { code } }"]}`, `{"query": "{ trades { code } }", "variables": "{}"}`,
		`{"query": "{ trades { code } }", "operationName": 5}`, `{"query": "{ trades { code } }", "extensions": []}`,
		"\xef\xbb\xbf{\"query\": \"{ trades { code } }\"}", `{"query": "{ trades { code } }"} trailing`,
	} {
		add(hostileCase{name: "malformed body " + strings.ToValidUTF8(body[:min(len(body), 60)], "?"), body: body, status: http.StatusBadRequest, code: "BAD_REQUEST"})
	}
	wrongTypes := []struct {
		name  string
		input map[string]any
	}{
		{"input not an object", nil},
		{"name an object (operator injection)", map[string]any{"name": map[string]any{"$gt": ""}, "kind": "COMPANY"}},
		{"name a list", map[string]any{"name": []string{"a"}, "kind": "COMPANY"}},
		{"name null", map[string]any{"name": nil, "kind": "COMPANY"}},
		{"kind unknown", map[string]any{"name": "x", "kind": "COMPANY' OR '1'='1"}},
		{"kind a number", map[string]any{"name": "x", "kind": 1}},
		{"headcount a float", map[string]any{"name": "x", "kind": "COMPANY", "headcount": 7.5}},
		{"headcount 2^31", map[string]any{"name": "x", "kind": "COMPANY", "headcount": int64(1) << 31}},
		{"headcount 2^63", map[string]any{"name": "x", "kind": "COMPANY", "headcount": json.Number("9223372036854775808")}},
		{"headcount negative", map[string]any{"name": "x", "kind": "COMPANY", "headcount": -1}},
		{"latitude 1e400", map[string]any{"name": "x", "kind": "COMPANY", "location": map[string]any{"lat": json.Number("1e400"), "lng": 2}}},
		{"latitude a string", map[string]any{"name": "x", "kind": "COMPANY", "location": map[string]any{"lat": "NaN", "lng": 2}}},
		{"latitude out of range", map[string]any{"name": "x", "kind": "COMPANY", "location": map[string]any{"lat": 91, "lng": 2}}},
		{"date malformed", map[string]any{"name": "x", "kind": "COMPANY", "joinedOn": "2020-13-45"}},
		{"date year 0", map[string]any{"name": "x", "kind": "COMPANY", "joinedOn": "0000-01-01"}},
		{"date far future", map[string]any{"name": "x", "kind": "COMPANY", "joinedOn": "99999-01-01"}},
		{"date a number", map[string]any{"name": "x", "kind": "COMPANY", "joinedOn": 20200101}},
		{"unknown field", map[string]any{"name": "x", "kind": "COMPANY", "isAdmin": true}},
		{"tradeIds a string of a wrong id", map[string]any{"name": "x", "kind": "COMPANY", "tradeIds": member}},
		{"tradeIds with null", map[string]any{"name": "x", "kind": "COMPANY", "tradeIds": []any{nil}}},
	}
	for _, w := range wrongTypes {
		vars := map[string]any{"input": w.input}
		add(hostileCase{name: "wrong type: " + w.name, tok: staff, query: createDoc, vars: vars, code: domain.CodeBadUserInput})
	}
	add(
		hostileCase{name: "missing variable", tok: staff, query: createDoc, code: domain.CodeBadUserInput},
		hostileCase{name: "meeting startsAt not a time", tok: staff, query: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
			vars: map[string]any{"input": withValue(base["scheduleMeeting"], inputPath{"startsAt"}, "tomorrow")}, code: domain.CodeBadUserInput},
		hostileCase{name: "agenda minutes 2^31", tok: staff, query: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
			vars: map[string]any{"input": withValue(base["scheduleMeeting"], inputPath{"agenda", 0, "minutes"}, int64(1)<<31)}, code: domain.CodeBadUserInput},
		hostileCase{name: "meeting startsAt in year 0", tok: staff, query: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
			vars: map[string]any{"input": withValue(base["scheduleMeeting"], inputPath{"startsAt"}, "0000-06-01T10:00:00Z")}, code: domain.CodeBadUserInput},
		hostileCase{name: "meeting startsAt past year 9999 in UTC", tok: staff, query: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
			vars: map[string]any{"input": withValue(base["scheduleMeeting"], inputPath{"startsAt"}, "9999-12-31T23:59:59-23:59")}, code: domain.CodeBadUserInput},
		hostileCase{name: "link since year 0", tok: staff, query: mutationDoc(mutationByName(mutations, "declareBusinessLink")),
			vars: map[string]any{"input": withValue(base["declareBusinessLink"], inputPath{"since"}, "0000-01-01")}, code: domain.CodeBadUserInput},
		hostileCase{name: "endMembership leftOn year 0", tok: staff, query: mutationDoc(mutationByName(mutations, "endMembership")),
			vars: map[string]any{"input": withValue(base["endMembership"], inputPath{"leftOn"}, "0000-01-01")}, code: domain.CodeBadUserInput},
		hostileCase{name: "members joined after year 0", tok: staff, query: `{ members(filter: {joinedAfter: "0000-01-01"}) { totalCount } }`, code: domain.CodeBadUserInput},
		hostileCase{name: "links since after year 0", tok: staff, query: `{ businessLinks(filter: {sinceAfter: "0000-12-31"}) { totalCount } }`, code: domain.CodeBadUserInput},
		hostileCase{name: "growth from year 0", tok: staff, query: `{ dashboard { growth(interval: YEAR, from: "0000-01-01") { total } } }`, code: domain.CodeBadUserInput},
		hostileCase{name: "touchpoint at not a time", tok: staff, query: `mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id } } }`,
			vars: map[string]any{"input": withValue(base["logTouchpoint"], inputPath{"at"}, "yesterday")}, code: domain.CodeBadUserInput},
		hostileCase{name: "touchpoint followUpOn out of range", tok: staff, query: `mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id } } }`,
			vars: map[string]any{"input": withValue(base["logTouchpoint"], inputPath{"followUpOn"}, "2026-02-30")}, code: domain.CodeBadUserInput},
		hostileCase{name: "touchpoint channel lower case", tok: staff, query: `mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id } } }`,
			vars: map[string]any{"input": withValue(base["logTouchpoint"], inputPath{"channel"}, "call")}, code: domain.CodeBadUserInput},
		hostileCase{name: "touchpoint contactId a member id", tok: staff, query: `mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id } } }`,
			vars: map[string]any{"input": withValue(base["logTouchpoint"], inputPath{"contactId"}, base["logTouchpoint"]["memberId"])}, code: domain.CodeBadUserInput},
		hostileCase{name: "show startsOn year 0", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"startsOn"}, "0000-10-06")}, code: domain.CodeBadUserInput},
		hostileCase{name: "show startsOn past year 9999", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"startsOn"}, "10000-10-06")}, code: domain.CodeBadUserInput},
		hostileCase{name: "show startsOn February 30", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"startsOn"}, "2030-02-30")}, code: domain.CodeBadUserInput},
		hostileCase{name: "show startsOn before 1950", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(withValue(base["createTradeShow"], inputPath{"startsOn"}, "1900-10-06"), inputPath{"endsOn"}, "1900-10-07")},
			code: domain.CodeBadUserInput, field: "startsOn"},
		hostileCase{name: "show startsOn in 2999", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(withValue(base["createTradeShow"], inputPath{"startsOn"}, "2999-10-06"), inputPath{"endsOn"}, "2999-10-07")},
			code: domain.CodeBadUserInput, field: "startsOn"},
		hostileCase{name: "show endsOn before startsOn", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"endsOn"}, "1900-01-01")}, code: domain.CodeBadUserInput, field: "endsOn"},
		hostileCase{name: "show lasting a year", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(withValue(base["createTradeShow"], inputPath{"startsOn"}, "2030-01-01"), inputPath{"endsOn"}, "2030-12-31")},
			code: domain.CodeBadUserInput, field: "endsOn"},
		hostileCase{name: "show visitorCount negative", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"visitorCount"}, -1)}, code: domain.CodeBadUserInput, field: "visitorCount"},
		hostileCase{name: "show visitorCount 2^31", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"visitorCount"}, int64(1)<<31)}, code: domain.CodeBadUserInput},
		hostileCase{name: "show visitorCount over ten million", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"visitorCount"}, 10_000_001)}, code: domain.CodeBadUserInput, field: "visitorCount"},
		hostileCase{name: "show edition 0", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"edition"}, 0)}, code: domain.CodeBadUserInput, field: "edition"},
		hostileCase{name: "show edition negative", tok: staff, query: mutationDoc(mutationByName(mutations, "createTradeShow")),
			vars: map[string]any{"input": withValue(base["createTradeShow"], inputPath{"edition"}, -3)}, code: domain.CodeBadUserInput, field: "edition"},
		hostileCase{name: "show update visitorCount negative", tok: staff, query: mutationDoc(mutationByName(mutations, "updateTradeShow")),
			vars: map[string]any{"input": withValue(base["updateTradeShow"], inputPath{"visitorCount"}, -10)}, code: domain.CodeBadUserInput, field: "visitorCount"},
		hostileCase{name: "show update visitorCount null", tok: staff, query: mutationDoc(mutationByName(mutations, "updateTradeShow")),
			vars: map[string]any{"input": withValue(base["updateTradeShow"], inputPath{"visitorCount"}, nil)}, code: domain.CodeBadUserInput, field: "visitorCount"},
		hostileCase{name: "show update startsOn null", tok: staff, query: mutationDoc(mutationByName(mutations, "updateTradeShow")),
			vars: map[string]any{"input": withValue(base["updateTradeShow"], inputPath{"startsOn"}, nil)}, code: domain.CodeBadUserInput, field: "startsOn"},
		hostileCase{name: "show update endsOn before startsOn", tok: staff, query: mutationDoc(mutationByName(mutations, "updateTradeShow")),
			vars: map[string]any{"input": withValue(base["updateTradeShow"], inputPath{"endsOn"}, "2024-09-30")}, code: domain.CodeBadUserInput, field: "endsOn"},
		hostileCase{name: "exhibitor with a member and a name", tok: staff, query: mutationDoc(mutationByName(mutations, "addExhibitor")),
			vars: map[string]any{"input": withValue(base["addExhibitor"], inputPath{"memberId"}, member)}, code: domain.CodeBadUserInput, field: "name"},
		hostileCase{name: "exhibitor booth blank", tok: staff, query: mutationDoc(mutationByName(mutations, "addExhibitor")),
			vars: map[string]any{"input": withValue(base["addExhibitor"], inputPath{"booth"}, " \t ")}, code: domain.CodeBadUserInput, field: "booth"},
		hostileCase{name: "exhibitor with 21 trades", tok: staff, query: mutationDoc(mutationByName(mutations, "addExhibitor")),
			vars: map[string]any{"input": withValue(base["addExhibitor"], inputPath{"tradeIds"}, manyTrades(21))}, code: domain.CodeBadUserInput, field: "tradeIds"},
		hostileCase{name: "lead of an exhibitor of another show", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"exhibitorId"}, otherExhibitor)}, code: domain.CodeBadUserInput, field: "exhibitorId"},
		hostileCase{name: "lead of an exhibitor that is not a member", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"exhibitorId"}, base["removeExhibitor"]["exhibitorId"])}, code: domain.CodeBadUserInput, field: "exhibitorId"},
		hostileCase{name: "lead scannedAt year 0", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"scannedAt"}, "0000-10-01T10:00:00Z")}, code: domain.CodeBadUserInput},
		hostileCase{name: "lead scannedAt before the show", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"scannedAt"}, "2024-09-30T10:00:00Z")}, code: domain.CodeBadUserInput, field: "scannedAt"},
		hostileCase{name: "lead scannedAt next year", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"scannedAt"}, time.Now().AddDate(1, 0, 0).Format(time.RFC3339))}, code: domain.CodeBadUserInput, field: "scannedAt"},
		hostileCase{name: "lead of two visitors", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"visitorMemberId"}, member)}, code: domain.CodeBadUserInput, field: "visitorCompany"},
		hostileCase{name: "lead of no visitor", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": withValue(base["recordLead"], inputPath{"visitorCompany"}, nil)}, code: domain.CodeBadUserInput, field: "visitorMemberId"},
		hostileCase{name: "lead of the exhibitor itself", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": map[string]any{"tradeShowId": show, "exhibitorId": exhibitor, "visitorMemberId": exhibiting}}, code: domain.CodeBadUserInput, field: "visitorMemberId"},
		hostileCase{name: "lead of a company already met", tok: staff, query: mutationDoc(mutationByName(mutations, "recordLead")),
			vars: map[string]any{"input": map[string]any{"tradeShowId": show, "exhibitorId": exhibitor, "visitorCompany": "VISITEUR SA"}}, code: domain.CodeConflict, field: "visitorCompany"},
		hostileCase{name: "convert a lead of a company", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"leadId"}, companyLead)}, code: domain.CodeBadUserInput, field: "leadId"},
		hostileCase{name: "convert an exhibitor id", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"leadId"}, exhibitor)}, code: domain.CodeBadUserInput, field: "leadId"},
		hostileCase{name: "convert since tomorrow", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"since"}, time.Now().AddDate(0, 0, 2).Format(time.DateOnly))}, code: domain.CodeBadUserInput, field: "since"},
		hostileCase{name: "convert since year 0", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"since"}, "0000-01-01")}, code: domain.CodeBadUserInput},
		hostileCase{name: "convert kind lower case", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"kind"}, "supply")}, code: domain.CodeBadUserInput},
		hostileCase{name: "convert volumeBand unknown", tok: staff, query: mutationDoc(mutationByName(mutations, "convertLeadToLink")),
			vars: map[string]any{"input": withValue(base["convertLeadToLink"], inputPath{"volumeBand"}, "HUGE")}, code: domain.CodeBadUserInput},
		hostileCase{name: "dashboard tradeShow of year 0", tok: staff, query: `{ dashboard { tradeShow(year: 0) { leads } } }`, code: domain.CodeBadUserInput, field: "year"},
		hostileCase{name: "durationMinutes negative", tok: staff, query: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`,
			vars: map[string]any{"input": withValue(base["scheduleMeeting"], inputPath{"durationMinutes"}, -60)}, code: domain.CodeBadUserInput},
	)
	// Trainings: numbers and times out of range, filters that cannot hold.
	scheduleTrainingDoc := mutationDoc(mutationByName(mutations, "scheduleTraining"))
	for _, c := range []struct {
		name  string
		path  inputPath
		value any
		field string
	}{
		{"training startsAt not a time", inputPath{"startsAt"}, "next week", ""},
		{"training startsAt in year 0", inputPath{"startsAt"}, "0000-06-01T10:00:00Z", ""},
		{"training durationMinutes 0", inputPath{"durationMinutes"}, 0, "durationMinutes"},
		{"training durationMinutes a day and a half", inputPath{"durationMinutes"}, 36 * 60, "durationMinutes"},
		{"training capacity 0", inputPath{"capacity"}, 0, "capacity"},
		{"training capacity negative", inputPath{"capacity"}, -5, "capacity"},
		{"training capacity 2^31", inputPath{"capacity"}, int64(1) << 31, ""},
		{"training capacity a float", inputPath{"capacity"}, 12.5, ""},
		{"training theme unknown", inputPath{"theme"}, "PURCHASING' OR '1'='1", ""},
	} {
		add(hostileCase{name: c.name, tok: staff, query: scheduleTrainingDoc,
			vars: map[string]any{"input": withValue(base["scheduleTraining"], c.path, c.value)}, code: domain.CodeBadUserInput, field: c.field})
	}
	trainingsDoc := `query($f: TrainingFilter) { trainings(filter: $f) { totalCount edges { cursor } } }`
	for _, c := range []struct {
		name   string
		filter map[string]any
		field  string
	}{
		{"trainings to before from", map[string]any{"from": "2026-06-01T00:00:00Z", "to": "2026-05-31T23:59:59Z"}, "filter.to"},
		{"trainings from not a time", map[string]any{"from": "yesterday"}, ""},
		{"trainings from in year 0", map[string]any{"from": "0000-01-01T00:00:00Z"}, ""},
		{"trainings status unknown", map[string]any{"statuses": []any{"HELD' OR '1'='1"}}, ""},
		{"trainings theme a number", map[string]any{"themes": []any{1}}, ""},
	} {
		add(hostileCase{name: c.name, tok: staff, query: trainingsDoc, vars: map[string]any{"f": c.filter}, code: domain.CodeBadUserInput, field: c.field})
	}
	add(
		hostileCase{name: "trainings from = to", tok: staff, query: trainingsDoc,
			vars: map[string]any{"f": map[string]any{"from": "2026-06-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}}, check: zeroCount},
	)

	// The near filter and the DISTANCE order: numbers out of range, of the
	// wrong type or missing are BAD_USER_INPUT (naming the part when the
	// value is a number the schema accepts), anonymous callers are refused
	// before anything is read, and extreme circles that are valid answer.
	nearDoc := `query($near: NearFilter, $o: MemberOrder) {
	  members(filter: {near: $near}, orderBy: $o) { totalCount edges { cursor node { distanceKm } } } }`
	circle := func(lat, lng, radius any) map[string]any {
		return map[string]any{"lat": lat, "lng": lng, "radiusKm": radius}
	}
	byDistance := map[string]any{"field": "DISTANCE"}
	for _, c := range []struct {
		name  string
		near  any
		field string
	}{
		{"latitude 90.000001", circle(90.000001, 0, 1), "filter.near.lat"},
		{"latitude -1e308", circle(-1e308, 0, 1), "filter.near.lat"},
		{"latitude 1e400", circle(json.Number("1e400"), 0, 1), ""},
		{"latitude NaN as a string", circle("NaN", 0, 1), ""},
		{"latitude Infinity as a string", circle("Infinity", 0, 1), ""},
		{"latitude SQL", circle("0); DROP TABLE members; --", 0, 1), ""},
		{"latitude an object (operator injection)", circle(map[string]any{"$gt": 0}, 0, 1), ""},
		{"latitude null", circle(nil, 0, 1), ""},
		{"longitude 180.0000001", circle(0, 180.0000001, 1), "filter.near.lng"},
		{"longitude -540", circle(0, -540, 1), "filter.near.lng"},
		{"longitude a list", circle(0, []any{1, 2}, 1), ""},
		{"radius 0", circle(45, 5, 0), "filter.near.radiusKm"},
		{"radius -0", circle(45, 5, json.Number("-0.0")), "filter.near.radiusKm"},
		{"radius 1e-400 (0 once read)", circle(45, 5, json.Number("1e-400")), "filter.near.radiusKm"},
		{"radius negative", circle(45, 5, -1), "filter.near.radiusKm"},
		{"radius 1000.0000001", circle(45, 5, 1000.0000001), "filter.near.radiusKm"},
		{"radius 2^63", circle(45, 5, json.Number("9223372036854775808")), "filter.near.radiusKm"},
		{"radius a boolean", circle(45, 5, true), ""},
		{"radius missing", map[string]any{"lat": 45, "lng": 5}, ""},
		{"unknown field", map[string]any{"lat": 45, "lng": 5, "radiusKm": 1, "srid": 4326}, ""},
		{"near a string", "45.76,4.83", ""},
		{"near a list", []any{45.76, 4.83, 10}, ""},
	} {
		for order, o := range map[string]map[string]any{"by name": nil, "by distance": byDistance} {
			add(hostileCase{name: fmt.Sprintf("near %s, %s", c.name, order), tok: staff, query: nearDoc,
				vars: map[string]any{"near": c.near, "o": o}, code: domain.CodeBadUserInput, field: c.field})
		}
	}
	memberTok := token(t, domain.RoleMember, member)
	add(
		hostileCase{name: "DISTANCE without near", tok: staff, query: nearDoc, vars: map[string]any{"o": byDistance},
			code: domain.CodeBadUserInput, field: "orderBy.field"},
		hostileCase{name: "DISTANCE without near, as a literal", tok: memberTok, query: `{ members(orderBy: {field: DISTANCE}) { totalCount } }`,
			code: domain.CodeBadUserInput, field: "orderBy.field"},
		hostileCase{name: "near anonymously", query: nearDoc, vars: map[string]any{"near": circle(45, 5, 10)},
			code: domain.CodeForbidden, field: "filter.near"},
		hostileCase{name: "near out of range anonymously", query: nearDoc, vars: map[string]any{"near": circle(1e308, 5, -1)},
			code: domain.CodeForbidden, field: "filter.near"},
		hostileCase{name: "DISTANCE anonymously", query: nearDoc, vars: map[string]any{"o": byDistance},
			code: domain.CodeForbidden, field: "orderBy.field"},
		hostileCase{name: "near as a literal with 1e400", tok: staff, query: `{ members(filter: {near: {lat: 1e400, lng: 0, radiusKm: 1}}) { totalCount } }`,
			code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "near around the north pole", tok: memberTok, query: nearDoc, vars: map[string]any{"near": circle(90, 180, 1000), "o": byDistance}, check: zeroCount},
		hostileCase{name: "near across the antimeridian", tok: memberTok, query: nearDoc, vars: map[string]any{"near": circle(-17, -180, 1000), "o": byDistance}, check: zeroCount},
		hostileCase{name: "near the smallest circle", tok: memberTok, query: nearDoc, vars: map[string]any{"near": circle(0, 0, 5e-324), "o": byDistance}, check: zeroCount},
	)

	// Purchasing campaigns: quantities, prices and dates out of range, a
	// campaign of another group, a group of another theme.
	campaignDoc := mutationDoc(mutationByName(mutations, "createPurchasingCampaign"))
	commitDoc := mutationDoc(mutationByName(mutations, "commitToCampaign"))
	other := f.mutate("raiseQuestion", map[string]any{"memberId": f.member(), "text": "Fixture question", "theme": "COMMUNICATION"}, "question { id }", "question.id")
	f.mutate("supportQuestion", map[string]any{"questionId": other, "memberId": f.member()}, "question { id }", "question.id")
	otherGroup := f.mutate("supportQuestion", map[string]any{"questionId": other, "memberId": f.member()}, "groupFormed { id }", "groupFormed.id")
	for _, c := range []struct {
		name  string
		path  inputPath
		value any
		field string
	}{
		{"listPrice negative", inputPath{"listPrice"}, -1850, "listPrice"},
		{"listPrice 0", inputPath{"listPrice"}, 0, "listPrice"},
		{"listPrice 2^31", inputPath{"listPrice"}, int64(1) << 31, ""},
		{"listPrice 2^63", inputPath{"listPrice"}, json.Number("9223372036854775808"), ""},
		{"listPrice a float", inputPath{"listPrice"}, 18.5, ""},
		{"listPrice over the cap", inputPath{"listPrice"}, domain.MaxUnitPrice + 1, "listPrice"},
		{"negotiatedPrice negative", inputPath{"negotiatedPrice"}, -1, "negotiatedPrice"},
		{"negotiatedPrice above listPrice", inputPath{"negotiatedPrice"}, 1851, "negotiatedPrice"},
		{"minimumQuantity negative", inputPath{"minimumQuantity"}, -5, "minimumQuantity"},
		{"minimumQuantity 2^31", inputPath{"minimumQuantity"}, int64(1) << 31, ""},
		{"currency unknown", inputPath{"currency"}, "EURO", "currency"},
		{"category lower case", inputPath{"category"}, "paint", ""},
		{"closesAt in the past", inputPath{"closesAt"}, "2020-01-01T00:00:00Z", "closesAt"},
		{"closesAt year 0", inputPath{"closesAt"}, "0000-06-01T10:00:00Z", ""},
		{"closesAt past year 9999 in UTC", inputPath{"closesAt"}, "9999-12-31T23:59:59-23:59", ""},
		{"closesAt in 9999", inputPath{"closesAt"}, "9999-01-01T00:00:00Z", "closesAt"},
		{"closesAt a date", inputPath{"closesAt"}, "2027-01-01", ""},
		{"closesAt before opensAt", inputPath{"opensAt"}, time.Now().Add(60 * 24 * time.Hour).UTC().Format(time.RFC3339), "closesAt"},
		{"opensAt in the past", inputPath{"opensAt"}, "2001-01-01T00:00:00Z", "opensAt"},
		{"a group of another theme", inputPath{"groupId"}, otherGroup, "groupId"},
		{"a group that does not exist", inputPath{"groupId"}, globalid.Encode(globalid.TypeWorkingGroup, 1<<40), "groupId"},
		{"a meeting as group", inputPath{"groupId"}, meeting, "groupId"},
	} {
		code := domain.CodeBadUserInput
		if strings.HasSuffix(c.name, "does not exist") {
			code = domain.CodeNotFound
		}
		add(hostileCase{name: "campaign " + c.name, tok: staff, query: campaignDoc,
			vars: map[string]any{"input": withValue(base["createPurchasingCampaign"], c.path, c.value)}, code: code, field: c.field})
	}
	for _, c := range []struct {
		name  string
		path  inputPath
		value any
		code  string
		field string
	}{
		{"quantity negative", inputPath{"quantity"}, -1, domain.CodeBadUserInput, "quantity"},
		{"quantity over the cap", inputPath{"quantity"}, domain.MaxQuantity + 1, domain.CodeBadUserInput, "quantity"},
		{"quantity 2^31", inputPath{"quantity"}, int64(1) << 31, domain.CodeBadUserInput, ""},
		{"quantity a float", inputPath{"quantity"}, 2.5, domain.CodeBadUserInput, ""},
		{"a group as campaign", inputPath{"campaignId"}, g.id, domain.CodeBadUserInput, "campaignId"},
		{"a campaign that does not exist", inputPath{"campaignId"}, globalid.Encode(globalid.TypePurchasingCampaign, 1<<40), domain.CodeNotFound, "campaignId"},
		{"a DRAFT", inputPath{"campaignId"}, base["openPurchasingCampaign"]["campaignId"], domain.CodeConflict, ""},
		{"a campaign as member", inputPath{"memberId"}, base["commitToCampaign"]["campaignId"], domain.CodeBadUserInput, "memberId"},
	} {
		add(hostileCase{name: "commitment " + c.name, tok: staff, query: commitDoc,
			vars: map[string]any{"input": withValue(base["commitToCampaign"], c.path, c.value)}, code: c.code, field: c.field})
	}
	// The lead of a PURCHASING group runs its group's campaigns, not those
	// of another group nor staff's.
	lead := token(t, domain.RoleMember, g.members[0])
	for m, code := range map[string]string{
		// a DRAFT of staff is not even seen by a member
		"openPurchasingCampaign": domain.CodeNotFound, "cancelPurchasingCampaign": domain.CodeNotFound,
		"closePurchasingCampaign": domain.CodeForbidden, "markCampaignOrdered": domain.CodeForbidden,
	} {
		add(hostileCase{name: m + " of a campaign of another group, by a lead", tok: lead, query: mutationDoc(mutationByName(mutations, m)),
			vars: map[string]any{"input": base[m]}, code: code})
	}
	add(hostileCase{name: "createPurchasingCampaign for another group, by a lead", tok: lead, query: campaignDoc,
		vars: map[string]any{"input": withValue(base["createPurchasingCampaign"], inputPath{"groupId"}, otherGroup)}, code: domain.CodeForbidden})

	// Ids of the wrong type, malformed, or of nothing.
	ghost := globalid.Encode(globalid.TypeMember, 1<<40)
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		code, field string
	}{
		{"member id of a trade", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": trade}, domain.CodeBadUserInput, "id"},
		{"member id an integer literal", `{ member(id: 5) { id } }`, nil, domain.CodeBadUserInput, "id"},
		{"member id 0", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": base64Of("Member:0")}, domain.CodeBadUserInput, "id"},
		{"member id overflowing", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": base64Of("Member:99999999999999999999")}, domain.CodeBadUserInput, "id"},
		{"member id SQL", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": "1 OR 1=1"}, domain.CodeBadUserInput, "id"},
		{"member id of an unknown type", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": base64Of("Admin:1")}, domain.CodeBadUserInput, "id"},
		{"member id a float", `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": 1.5}, domain.CodeBadUserInput, ""},
		{"node id of a contact", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": contact}, "", ""},
		{"nodes with a malformed id", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{member, "%%%"}}, domain.CodeBadUserInput, "ids[1]"},
		{"nodes with 10,000 ids", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": strings.Split(strings.Repeat(member+",", 10000), ",")[:10000]}, domain.CodeBadUserInput, "ids"},
		{"path from a trade", `query($a: ID!, $b: ID!) { path(from: $a, to: $b) { hops } }`, map[string]any{"a": trade, "b": member}, domain.CodeBadUserInput, "from"},
		{"updateMember of a question", `mutation($id: ID!) { updateMember(input: {id: $id, name: "x"}) { member { id } } }`, map[string]any{"id": question}, domain.CodeBadUserInput, "id"},
		{"updateMember of nothing", `mutation($id: ID!) { updateMember(input: {id: $id, name: "x"}) { member { id } } }`, map[string]any{"id": ghost}, domain.CodeNotFound, ""},
		{"declareBusinessLink to a meeting", `mutation($a: ID!, $b: ID!) { declareBusinessLink(input: {fromId: $a, toId: $b, kind: SUPPLY}) { link { id } } }`, map[string]any{"a": member, "b": meeting}, domain.CodeBadUserInput, "toId"},
		{"declareBusinessLink to nothing", `mutation($a: ID!, $b: ID!) { declareBusinessLink(input: {fromId: $a, toId: $b, kind: SUPPLY}) { link { id } } }`, map[string]any{"a": member, "b": ghost}, domain.CodeNotFound, ""},
		{"joinGroup of a member id", `mutation($a: ID!, $b: ID!) { joinGroup(input: {groupId: $a, memberId: $b}) { group { id } } }`, map[string]any{"a": member, "b": member}, domain.CodeBadUserInput, "groupId"},
		{"supportQuestion of a group id", `mutation($a: ID!, $b: ID!) { supportQuestion(input: {questionId: $a, memberId: $b}) { question { id } } }`, map[string]any{"a": g.id, "b": member}, domain.CodeBadUserInput, "questionId"},
		{"removeContact of a member id", `mutation($a: ID!) { removeContact(input: {id: $a}) { member { id } } }`, map[string]any{"a": member}, domain.CodeBadUserInput, "id"},
		{"registerForTraining of a meeting", `mutation($a: ID!, $b: ID!) { registerForTraining(input: {trainingId: $a, memberId: $b}) { training { id } } }`, map[string]any{"a": meeting, "b": member}, domain.CodeBadUserInput, "trainingId"},
		{"registerForTraining of a training as member", `mutation($a: ID!) { registerForTraining(input: {trainingId: $a, memberId: $a}) { training { id } } }`, map[string]any{"a": training}, domain.CodeBadUserInput, "memberId"},
		{"registerForTraining of nothing", `mutation($a: ID!, $b: ID!) { registerForTraining(input: {trainingId: $a, memberId: $b}) { training { id } } }`, map[string]any{"a": globalid.Encode(globalid.TypeTraining, 1<<40), "b": member}, domain.CodeNotFound, "trainingId"},
		{"registerForTraining of no member", `mutation($a: ID!, $b: ID!) { registerForTraining(input: {trainingId: $a, memberId: $b}) { training { id } } }`, map[string]any{"a": training, "b": ghost}, domain.CodeNotFound, "memberId"},
		{"recordTrainingAttendance of a trade", `mutation($a: ID!, $b: [ID!]!) { recordTrainingAttendance(input: {trainingId: $a, attendeeIds: $b}) { training { id } } }`, map[string]any{"a": training, "b": []string{trade}}, domain.CodeBadUserInput, "attendeeIds"},
		{"members filter with a member as trade", `query($t: [ID!]) { members(filter: {tradeIds: $t}) { totalCount } }`, map[string]any{"t": []string{member}}, domain.CodeBadUserInput, "filter.tradeIds"},
		{"businessLinks filter with a trade as member", `query($t: [ID!]) { businessLinks(filter: {memberIds: $t}) { totalCount } }`, map[string]any{"t": []string{trade}}, domain.CodeBadUserInput, ""},
		{"questions filter with a trade as raiser", `query($t: ID) { questions(filter: {raisedBy: $t}) { totalCount } }`, map[string]any{"t": trade}, domain.CodeBadUserInput, ""},
		{"groups filter with a trade as member", `query($t: [ID!]) { groups(filter: {memberIds: $t}) { totalCount } }`, map[string]any{"t": []string{trade}}, domain.CodeBadUserInput, ""},
		{"recordLead with a member as exhibitor", `mutation($s: ID!, $e: ID!) { recordLead(input: {tradeShowId: $s, exhibitorId: $e, visitorCompany: "x"}) { lead { id } } }`, map[string]any{"s": show, "e": member}, domain.CodeBadUserInput, "exhibitorId"},
		{"recordLead at nothing", `mutation($s: ID!, $e: ID!) { recordLead(input: {tradeShowId: $s, exhibitorId: $e, visitorCompany: "x"}) { lead { id } } }`, map[string]any{"s": globalid.Encode(globalid.TypeTradeShow, 1<<40), "e": exhibitor}, domain.CodeNotFound, "tradeShowId"},
		{"addExhibitor to a group", `mutation($s: ID!) { addExhibitor(input: {tradeShowId: $s, name: "x", booth: "x"}) { exhibitor { id } } }`, map[string]any{"s": g.id}, domain.CodeBadUserInput, "tradeShowId"},
		{"addExhibitor of a member that is not", `mutation($s: ID!, $m: ID!) { addExhibitor(input: {tradeShowId: $s, memberId: $m, booth: "x"}) { exhibitor { id } } }`, map[string]any{"s": show, "m": ghost}, domain.CodeNotFound, "memberId"},
		{"removeExhibitor of a show", `mutation($e: ID!) { removeExhibitor(input: {exhibitorId: $e}) { removedExhibitorId } }`, map[string]any{"e": show}, domain.CodeBadUserInput, "exhibitorId"},
		{"convertLeadToLink of nothing", `mutation($l: ID!) { convertLeadToLink(input: {leadId: $l, kind: SUPPLY}) { link { id } } }`, map[string]any{"l": globalid.Encode(globalid.TypeLead, 1<<40)}, domain.CodeNotFound, "leadId"},
		{"node of an exhibitor of nothing", `query($e: ID!) { node(id: $e) { id } }`, map[string]any{"e": globalid.Encode(globalid.TypeExhibitor, 1<<40)}, "", ""},
		{"dashboard filter with a member as trade", `query($t: [ID!]) { dashboard(filter: {tradeIds: $t}) { memberCount } }`, map[string]any{"t": []string{member}}, domain.CodeBadUserInput, ""},
		{"campaigns filter with a member as group", `query($t: [ID!]) { purchasingCampaigns(filter: {groupIds: $t}) { totalCount } }`, map[string]any{"t": []string{member}}, domain.CodeBadUserInput, "filter.groupIds"},
		{"campaigns filter with 101 groups", `query($t: [ID!]) { purchasingCampaigns(filter: {groupIds: $t}) { totalCount } }`, map[string]any{"t": strings.Split(strings.Repeat(g.id+",", 101), ",")[:101]}, domain.CodeBadUserInput, "filter.groupIds"},
	} {
		cs := hostileCase{name: "id: " + c.name, tok: staff, query: c.query, vars: c.vars, code: c.code, field: c.field}
		add(cs)
	}

	// first, last and other sizes: negative, over the cap, 2^31 and more.
	sized := []struct{ query, field string }{
		{`query($n: Int) { members(first: $n) { totalCount } }`, "first"},
		{`query($n: Int) { members(last: $n) { totalCount } }`, "last"},
		{`query($n: Int) { businessLinks(first: $n) { totalCount } }`, "first"},
		{`query($n: Int) { questions(first: $n) { totalCount } }`, "first"},
		{`query($n: Int) { groups(first: $n) { totalCount } }`, "first"},
		{`query($n: Int) { actionPlans(first: $n) { totalCount } }`, "first"},
		{`query($n: Int, $m: ID!) { member(id: $m) { businessLinks(first: $n) { totalCount } } }`, "first"},
		{`query($n: Int, $m: ID!) { member(id: $m) { partners(first: $n) { totalCount } } }`, "first"},
		{`query($n: Int, $m: ID!) { member(id: $m) { groups(first: $n) { totalCount } } }`, "first"},
		{`query($n: Int, $m: ID!) { member(id: $m) { recommendedPartners(first: $n) { score } } }`, "first"},
		{`query($n: Int, $m: ID!) { member(id: $m) { neighborhood(maxNodes: $n) { truncated } } }`, "maxNodes"},
		{`query($n: Int, $m: ID!) { member(id: $m) { neighborhood(radius: $n) { truncated } } }`, "radius"},
		{`query($n: Int) { trades { members(first: $n) { totalCount } } }`, "first"},
		{`query($n: Int) { viewer { upcomingMeetings(first: $n) { id } } }`, "first"},
		{`query($n: Int) { viewer { pendingConfirmations(first: $n) { totalCount } } }`, "first"},
		{`query($n: Int, $g: ID!) { node(id: $g) { ... on WorkingGroup { meetings(first: $n) { totalCount } } } }`, "first"},
		{`query($n: Int) { trainings(first: $n) { totalCount } }`, "first"},
		{`query($n: Int, $t: ID!) { node(id: $t) { ... on Training { registrations(first: $n) { totalCount } } } }`, "first"},
		{`query($n: Int) { network { brokers(first: $n) { score } } }`, "first"},
		{`query($n: Int) { network { central(by: DEGREE, first: $n) { score } } }`, "first"},
		{`query($n: Int, $m: ID!) { path(from: $m, to: $m, maxHops: $n) { hops } }`, "maxHops"},
		{`query($n: Int) { dashboard { engagement { atRisk(first: $n) { member { id } } } } }`, "first"},
		{`query($n: Int!) { dashboard { retention(year: $n) } }`, "year"},
		{`query($n: Int!) { dashboard { tradeShow(year: $n) { leads } } }`, "year"},
		{`query($n: Int) { tradeShows(first: $n) { totalCount } }`, "first"},
		{`query($n: Int, $s: ID!) { node(id: $s) { ... on TradeShow { exhibitors(first: $n) { totalCount } } } }`, "first"},
		{`query($n: Int, $s: ID!) { node(id: $s) { ... on TradeShow { leads(first: $n) { totalCount } } } }`, "first"},
		{`query($n: Int) { purchasingCampaigns(first: $n) { totalCount } }`, "first"},
		{`query($n: Int) { purchasingCampaigns { edges { node { commitments(first: $n) { totalCount } } } } }`, "first"},
	}
	for _, q := range sized {
		for _, n := range []any{-1, 100_000, int64(1) << 31, int64(1)<<31 - 1, -(int64(1) << 31) - 1, json.Number("1e20"), json.Number("9223372036854775808")} {
			vars := map[string]any{"n": n, "m": member, "g": g.id, "t": training, "s": show}
			add(hostileCase{name: fmt.Sprintf("size %v: %s", n, q.query), tok: staff, query: q.query, vars: vars, code: domain.CodeBadUserInput})
		}
	}
	add(
		hostileCase{name: "first 2^31 as a literal", tok: staff, query: `{ members(first: 2147483648) { totalCount } }`, code: domain.CodeBadUserInput, field: "first"},
		hostileCase{name: "first -1 as a literal", tok: staff, query: `{ members(first: -1) { totalCount } }`, code: domain.CodeBadUserInput, field: "first"},
		hostileCase{name: "first and last", tok: staff, query: `{ members(first: 1, last: 1) { totalCount } }`, code: domain.CodeBadUserInput},
	)

	// Invalid cursors. Cursors are sealed with the server's key: one with
	// odd contents cannot be made here (see TestCursorForgedContents in
	// package postgres). A real one is read first, which also makes the
	// key before the snapshot.
	var first struct {
		Members struct{ Edges []struct{ Cursor string } }
	}
	a.ok(staff, `{ members(first: 1) { edges { cursor } } }`, nil, &first)
	if len(first.Members.Edges) != 1 {
		t.Fatalf("no member to take a cursor from: %+v", first)
	}
	real := first.Members.Edges[0].Cursor
	tampered := []byte(real)
	if tampered[len(tampered)/2] == 'A' {
		tampered[len(tampered)/2] = 'B'
	} else {
		tampered[len(tampered)/2] = 'A'
	}
	for _, cur := range []struct{ name, cursor string }{
		{"garbage", "garbage"},
		{"padding", real + "=="},
		{"tampered", string(tampered)},
		{"truncated", real[:len(real)-4]},
		{"extended", real + "AAAA"},
		{"empty object", base64Of(`{}`)},
		{"plain JSON", base64Of(`{"s":"members:NAME:ASC","v":"A","i":1}`)},
		{"plain JSON with a role", base64Of(`{"s":"members:NAME:ASC","v":"A","i":1,"r":"STAFF"}`)},
		{"not JSON", base64Of(`members:NAME:ASC:A:1`)},
		{"SQL", base64Of(`{"s":"members:NAME:ASC; DROP TABLE members","v":"A","i":1}`) + "'; DROP TABLE members; --"},
		{"huge", strings.Repeat("A", 100_000)},
		{"NUL", real[:10] + "\x00" + real[10:]},
		{"invalid UTF-8", real[:10] + "\xff" + real[10:]},
	} {
		add(hostileCase{name: "cursor " + cur.name, tok: staff, query: `query($c: String) { members(first: 2, after: $c) { totalCount edges { cursor } } }`,
			vars: map[string]any{"c": cur.cursor}, code: domain.CodeBadUserInput, field: "after"})
	}
	add(
		hostileCase{name: "cursor real", tok: staff, query: `query($c: String) { members(first: 2, after: $c) { totalCount } }`, vars: map[string]any{"c": real}},
		hostileCase{name: "cursor of staff used anonymously", query: `query($c: String) { members(first: 2, after: $c) { totalCount } }`,
			vars: map[string]any{"c": real}, code: domain.CodeBadUserInput, field: "after"},
		hostileCase{name: "cursor of staff used by a member", tok: token(t, domain.RoleMember, member), query: `query($c: String) { members(first: 2, after: $c) { totalCount } }`,
			vars: map[string]any{"c": real}, code: domain.CodeBadUserInput, field: "after"},
	)

	// Hostile tokens: refused with 401, never read as anonymous.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(`{"role":"STAFF","exp":9999999999}`)) + "."
	for _, tok := range []struct{ name, tok string }{
		{"not a JWT", "x.y.z"}, {"alg none claiming staff", none}, {"huge", strings.Repeat("a", 100_000)},
		{"SQL", "' OR 1=1 --"}, {"NUL", "a\x00b"},
	} {
		add(hostileCase{name: "token " + tok.name, tok: tok.tok, query: createDoc, vars: map[string]any{"input": map[string]any{"name": "x", "kind": "COMPANY"}},
			status: http.StatusUnauthorized, code: domain.CodeUnauthenticated})
	}

	// Document-level attacks.
	add(
		hostileCase{name: "deep nesting", query: nested(40), code: "QUERY_TOO_DEEP"},
		hostileCase{name: "very deep nesting", query: nested(5000), code: "GRAPHQL_PARSE_FAILED"}, // the parser's nesting limit
		hostileCase{name: "deeply nested list literal", query: `{ nodes(ids: ` + strings.Repeat("[", 3000) + `"x"` + strings.Repeat("]", 3000) + `) { id } }`, code: "GRAPHQL_PARSE_FAILED"},
		hostileCase{name: "deeply nested object literal", query: `{ members(filter: ` + strings.Repeat("{search: ", 3000) + `"x"` + strings.Repeat("}", 3000) + `) { totalCount } }`, code: "GRAPHQL_PARSE_FAILED"},
		hostileCase{name: "alias bomb", query: "{ " + repeat(1000, "a%d: trades { code }") + " }", code: "TOO_MANY_ALIASES"},
		hostileCase{name: "alias bomb through nested fragments", query: `{ ...F9 }
		  fragment F0 on Query { a: trades { code } b: trades { code } }
		  fragment F1 on Query { ...F0 x: trades { ...T0 } } fragment T0 on Trade { a: code b: code c: code }
		  fragment F2 on Query { ...F1 ...F1 } fragment F3 on Query { ...F2 ...F2 } fragment F4 on Query { ...F3 ...F3 }
		  fragment F5 on Query { ...F4 ...F4 } fragment F6 on Query { ...F5 ...F5 } fragment F7 on Query { ...F6 ...F6 }
		  fragment F8 on Query { ...F7 ...F7 } fragment F9 on Query { ...F8 ...F8 }`, code: "TOO_MANY_ALIASES"},
		hostileCase{name: "field duplicated 5000 times", query: "{ trades { " + strings.Repeat("code ", 5000) + "} }", code: ""},
		hostileCase{name: "circular fragments", query: `{ ...A } fragment A on Query { trades { code } ...B } fragment B on Query { ...A }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "self-referencing fragment", query: `{ trades { ...T } } fragment T on Trade { code parent { ...T } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "duplicate operation names", query: `query A { trades { code } } query A { trades { code } }`, op: "A", code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "unknown operation name", query: `query A { trades { code } }`, op: "B", code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "operation name with SQL", query: `query A { trades { code } }`, op: "A'; DROP TABLE members; --", code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "two operations, no name", query: `query A { trades { code } } query B { trades { code } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "mutation chosen by name among queries", tok: staff, query: `query A { trades { code } } mutation B { createTrade(input: {code: "X", nameEn: "x", nameFr: "x"}) { trade { id } } }`, op: "C", code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "mutation over GET", get: true, tok: staff, query: `mutation { createTrade(input: {code: "X", nameEn: "x", nameFr: "x"}) { trade { id } } }`, status: http.StatusMethodNotAllowed, code: "METHOD_NOT_ALLOWED"},
		hostileCase{name: "subscription without a stream", tok: staff, query: `subscription { networkChanged { version } }`, status: http.StatusBadRequest, code: "BAD_REQUEST"},
		hostileCase{name: "subscription to an unknown field", query: `subscription { nothing { code } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "operation name of a fragment", query: `query A { ...F } fragment F on Query { trades { code } }`, op: "F", code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "fragment on an unknown type", query: `{ trades { ... on Admin { code } } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "unused fragment", query: `{ trades { code } } fragment F on Trade { code }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "@include with a non-boolean variable", query: `query($v: Boolean!) { trades @include(if: $v) { code } }`, vars: map[string]any{"v": "yes"}, code: domain.CodeBadUserInput},
		hostileCase{name: "variable of an input type used as an output", query: `query($v: Trade) { trades { code } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "APQ with a hash not matching the query", body: `{"query": "{ trades { code } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}`,
			code: domain.CodeBadUserInput},
		hostileCase{name: "APQ of an unknown hash", body: `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("ab", 32) + `"}}}`,
			code: "PERSISTED_QUERY_NOT_FOUND"},
		hostileCase{name: "APQ of an unsupported version", body: `{"query": "{ trades { code } }", "extensions": {"persistedQuery": {"version": 2, "sha256Hash": "00"}}}`,
			code: domain.CodeBadUserInput},
		hostileCase{name: "APQ with a malformed extension", body: `{"query": "{ trades { code } }", "extensions": {"persistedQuery": "x"}}`,
			code: domain.CodeBadUserInput},
		hostileCase{name: "empty document", query: ``, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "unterminated string", query: `{ member(id: "abc) { id } }`, code: "GRAPHQL_PARSE_FAILED"},
		hostileCase{name: "unknown directive", query: `{ trades @skip(if: "yes") { code } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "huge integer literal", query: `{ members(first: 99999999999999999999999999) { totalCount } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "introspection bomb", query: `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`, code: "GRAPHQL_VALIDATION_FAILED"},
		hostileCase{name: "complex fan-out", query: `{ members(first: 100) { edges { node { partners(first: 100) { edges { node { partners(first: 100) { totalCount } } } } } } } }`, code: "QUERY_TOO_COMPLEX"},
	)

	// Bodies over the limit: 413, and the server is unharmed afterwards.
	hugeVars := `{"query": "{ trades { code } }", "variables": {"v": "` + strings.Repeat("x", 2<<20) + `"}}`
	add(
		hostileCase{name: "body over the limit", body: hugeVars, status: http.StatusRequestEntityTooLarge, code: "REQUEST_TOO_LARGE"},
		hostileCase{name: "mutation over the limit", tok: staff, body: gqlBody(createDoc, map[string]any{"input": map[string]any{"name": strings.Repeat("x", 2<<20), "kind": "COMPANY"}}, ""),
			status: http.StatusRequestEntityTooLarge, code: "REQUEST_TOO_LARGE"},
		hostileCase{name: "document over the limit", body: gqlBody("{ trades { "+strings.Repeat("code ", 300_000)+"} }", nil, ""), status: http.StatusRequestEntityTooLarge, code: "REQUEST_TOO_LARGE"},
		hostileCase{name: "a normal query after the huge ones", query: `{ trades { code } }`},
	)

	before := snapshot(t, a)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, a) })
	}
	var out struct{ Members struct{ TotalCount int } }
	a.ok(staff, `{ members { totalCount } }`, nil, &out)
	if out.Members.TotalCount == 0 {
		t.Errorf("the fixture's members are gone")
	}
	if diff := cmp.Diff(before, snapshot(t, a)); diff != "" {
		t.Errorf("the battery changed the database (-before +after):\n%s", diff)
	}
}

// TestHostileForeignCursors uses the cursor of each connection (and each
// order) on every other one: each is refused as BAD_USER_INPUT.
func TestHostileForeignCursors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	f := newFixture(t, a)
	g := f.group()
	f.meeting(g.id)
	f.meeting(g.id)
	member := g.members[0]
	other := f.member()
	for _, to := range []string{other, g.members[1]} {
		l := f.mutate("declareBusinessLink", map[string]any{"fromId": member, "toId": to, "kind": "SUPPLY"}, "link { id }", "link.id")
		f.mutate("confirmBusinessLink", map[string]any{"id": l}, "link { id }", "link.id")
	}
	f.mutate("setMemberTrades", map[string]any{"memberId": member, "tradeIds": []any{f.trade()}}, "member { id }", "member.id")
	for i, m := range []string{member, other} {
		f.mutate("updateMember", map[string]any{"id": m, "location": map[string]any{"lat": 45 + float64(i)/100, "lng": 5}}, "member { id }", "member.id")
	}
	f.mutate("publishActionPlan", map[string]any{"groupId": g.id, "summary": "Plan", "items": []any{map[string]any{"title": "Act"}}}, "actionPlan { id }", "actionPlan.id")
	f.group()
	f.mutate("publishActionPlan", map[string]any{"groupId": f.group().id, "summary": "Plan", "items": []any{map[string]any{"title": "Act"}}}, "actionPlan { id }", "actionPlan.id")
	training, _ := f.registered(time.Now().Add(72 * time.Hour))
	f.mutate("registerForTraining", map[string]any{"trainingId": training, "memberId": member}, "training { id }", "training.id")
	f.training(time.Now().Add(96 * time.Hour))
	staff := f.staff
	memberTok := token(t, domain.RoleMember, g.members[1])
	show := f.tradeShow()
	f.mutate("createTradeShow", f.newShow(), "tradeShow { id }", "tradeShow.id")
	for range 2 {
		f.mutate("recordLead", map[string]any{"tradeShowId": show, "exhibitorId": f.exhibitor(f.member()), "visitorCompany": "Visiteur SA"},
			"lead { id }", "lead.id")
	}
	campaign := f.campaign(true, true)
	f.campaign(true, true)

	// Each connection, its query with $c as its after cursor, and where its
	// edges are.
	connections := []struct {
		name, tok, query, path string
	}{
		{"members by name", staff, `members(first: 1, after: $c) { edges { cursor } }`, "members"},
		{"members by name descending", staff, `members(first: 1, after: $c, orderBy: {field: NAME, direction: DESC}) { edges { cursor } }`, "members"},
		{"members by join date", staff, `members(first: 1, after: $c, orderBy: {field: JOINED_ON}) { edges { cursor } }`, "members"},
		{"members by headcount", staff, `members(first: 1, after: $c, orderBy: {field: HEADCOUNT}) { edges { cursor } }`, "members"},
		{"members by relevance", staff, `members(first: 1, after: $c, filter: {search: "fixture"}) { edges { cursor } }`, "members"},
		{"members by relevance of another search", staff, `members(first: 1, after: $c, filter: {search: "fixtures"}) { edges { cursor } }`, "members"},
		{"members by distance", staff, `members(first: 1, after: $c, filter: {near: {lat: 45, lng: 5, radiusKm: 100}}, orderBy: {field: DISTANCE}) { edges { cursor } }`, "members"},
		{"members by distance from elsewhere", staff, `members(first: 1, after: $c, filter: {near: {lat: 45.01, lng: 5, radiusKm: 100}}, orderBy: {field: DISTANCE}) { edges { cursor } }`, "members"},
		{"members by distance, farthest first", staff, `members(first: 1, after: $c, filter: {near: {lat: 45, lng: 5, radiusKm: 100}}, orderBy: {field: DISTANCE, direction: DESC}) { edges { cursor } }`, "members"},
		{"business links", staff, `businessLinks(first: 1, after: $c) { edges { cursor } }`, "businessLinks"},
		{"questions", staff, `questions(first: 1, after: $c) { edges { cursor } }`, "questions"},
		{"groups", staff, `groups(first: 1, after: $c) { edges { cursor } }`, "groups"},
		{"action plans", staff, `actionPlans(first: 1, after: $c) { edges { cursor } }`, "actionPlans"},
		{"a member's links", staff, `member(id: "` + member + `") { businessLinks(first: 1, after: $c) { edges { cursor } } }`, "member.businessLinks"},
		{"a member's partners", staff, `member(id: "` + member + `") { partners(first: 1, after: $c) { edges { cursor } } }`, "member.partners"},
		{"a member's groups", staff, `member(id: "` + member + `") { groups(first: 1, after: $c) { edges { cursor } } }`, "member.groups"},
		{"a group's meetings", staff, `node(id: "` + g.id + `") { ... on WorkingGroup { meetings(first: 1, after: $c) { edges { cursor } } } }`, "node.meetings"},
		{"trainings", staff, `trainings(first: 1, after: $c) { edges { cursor } }`, "trainings"},
		{"a training's registrations", staff, `node(id: "` + training + `") { ... on Training { registrations(first: 1, after: $c) { edges { cursor } } } }`, "node.registrations"},
		{"a trade's members", staff, `trades { members(first: 1, after: $c) { edges { cursor } } }`, "trades.0.members"},
		{"pending confirmations", memberTok, `viewer { pendingConfirmations(first: 1, after: $c) { edges { cursor } } }`, "viewer.pendingConfirmations"},
		{"trade shows", staff, `tradeShows(first: 1, after: $c) { edges { cursor } }`, "tradeShows"},
		{"a show's exhibitors", staff, `node(id: "` + show + `") { ... on TradeShow { exhibitors(first: 1, after: $c) { edges { cursor } } } }`, "node.exhibitors"},
		{"a show's leads", staff, `node(id: "` + show + `") { ... on TradeShow { leads(first: 1, after: $c) { edges { cursor } } } }`, "node.leads"},
		{"purchasing campaigns", staff, `purchasingCampaigns(first: 1, after: $c) { edges { cursor } }`, "purchasingCampaigns"},
		{"a campaign's commitments", staff, `node(id: "` + campaign + `") { ... on PurchasingCampaign { commitments(first: 1, after: $c) { edges { cursor } } } }`, "node.commitments"},
	}
	cursors := make([]string, len(connections))
	for i, c := range connections {
		var data map[string]any
		a.ok(c.tok, `query($c: String) { `+c.query+` }`, map[string]any{"c": nil}, &data)
		var v any = data
		for _, k := range strings.Split(c.path, ".") {
			switch x := v.(type) {
			case map[string]any:
				v = x[k]
			case []any:
				v = x[0]
			}
		}
		edges := v.(map[string]any)["edges"].([]any)
		if len(edges) == 0 {
			if c.name != "pending confirmations" {
				t.Fatalf("%s: no edges to take a cursor from", c.name)
			}
			continue
		}
		cursors[i] = edges[0].(map[string]any)["cursor"].(string)
		// The cursor works where it comes from.
		a.ok(c.tok, `query($c: String) { `+c.query+` }`, map[string]any{"c": cursors[i]}, nil)
	}
	before := snapshot(t, a)
	for i, from := range connections {
		for j, to := range connections {
			if i == j || cursors[i] == "" {
				continue
			}
			t.Run(from.name+" on "+to.name, func(t *testing.T) {
				hostileCase{tok: to.tok, query: `query($c: String) { ` + to.query + ` }`, vars: map[string]any{"c": cursors[i]},
					code: domain.CodeBadUserInput, field: "after"}.run(t, a)
			})
		}
	}
	if diff := cmp.Diff(before, snapshot(t, a)); diff != "" {
		t.Errorf("the battery changed the database (-before +after):\n%s", diff)
	}
}

// TestHostileTextRoundTrips sends SQL metacharacters and other awkward
// text in every String field of every mutation input: they are data,
// stored verbatim (or, for fields with a format, refused as
// BAD_USER_INPUT), and clientMutationId comes back unchanged.
func TestHostileTextRoundTrips(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	f := newFixture(t, a)
	s, mutations := mutationInputs(t)
	columns := textColumns(t, a)
	for _, m := range mutations {
		build := validInputs[m.Name]
		if build == nil {
			continue
		}
		for _, p := range stringPaths(s, m.Arguments[0].Type, nil) {
			// 200 characters of 4 bytes: the longest short text, in bytes.
			values := append(append([]string{}, sqlMetacharacters...), strings.Repeat("🦀", 200))
			if p.last() == "clientMutationId" {
				values = append(append([]string{}, values...), "a\x00b", " padded ", strings.Repeat("x", 10_000))
			}
			for _, v := range values {
				t.Run(fmt.Sprintf("%s %s=%q", m.Name, p.field(), v[:min(len(v), 30)]), func(t *testing.T) {
					c := hostileCase{tok: f.staff, query: mutationDoc(m), vars: map[string]any{"input": withValue(build(f), p, v)}}
					switch {
					case p.last() == "clientMutationId":
						c.check = func(t *testing.T, data json.RawMessage) {
							var out map[string]struct{ ClientMutationID string }
							_ = json.Unmarshal(data, &out)
							if got := out[m.Name].ClientMutationID; got != v {
								t.Errorf("clientMutationId came back as %q", got)
							}
						}
					case formatFields[p.last()]:
						c.code, c.field = domain.CodeBadUserInput, p.field()
					default:
						c.check = func(t *testing.T, _ json.RawMessage) {
							if !storedVerbatim(t, a, columns, v) {
								t.Errorf("%q is not stored verbatim in any column", v)
							}
						}
					}
					c.run(t, a)
				})
			}
		}
	}
	// The longest description, one word of 4-byte characters: stored and
	// found by its name (the search index skips words that long).
	long := strings.Repeat("𝄞", 5000)
	f.mutate("createMember", map[string]any{"name": "Longword", "kind": "COMPANY", "description": long}, "member { id }", "member.id")
	var search struct{ Members struct{ TotalCount int } }
	a.ok(f.staff, `{ members(filter: {search: "longword"}) { totalCount } }`, nil, &search)
	if search.Members.TotalCount != 1 || !storedVerbatim(t, a, columns, long) {
		t.Errorf("a 5000-character word: found %d times by name, stored verbatim: %v", search.Members.TotalCount, storedVerbatim(t, a, columns, long))
	}

	// The stored values read back through the API as they were sent.
	for _, v := range sqlMetacharacters {
		id := f.mutate("createMember", map[string]any{"name": v, "kind": "COMPANY", "description": v, "address": map[string]any{"city": v, "region": v}},
			"member { id }", "member.id")
		var out struct {
			Member struct {
				Name, Description string
				Address           struct{ City, Region string }
			}
		}
		a.ok(f.staff, `query($id: ID!) { member(id: $id) { name description address { city region } } }`, map[string]any{"id": id}, &out)
		got := out.Member
		if got.Name != v || got.Description != v || got.Address.City != v || got.Address.Region != v {
			t.Errorf("%q read back as %+v", v, got)
		}
		var found struct{ Members struct{ TotalCount int } }
		a.ok(f.staff, `query($r: [String!]) { members(filter: {regions: $r}) { totalCount } }`, map[string]any{"r": []string{v}}, &found)
		var want int
		if err := a.db.Bun().DB.QueryRowContext(context.Background(), `SELECT count(*) FROM members WHERE region = $1 AND status = 'ACTIVE'`, v).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if want == 0 || found.Members.TotalCount != want {
			t.Errorf("region %q matches %d members, want %d", v, found.Members.TotalCount, want)
		}
	}
}

// textColumn is a text or jsonb column of a table.
type textColumn struct{ Table, Column, Type string }

func textColumns(t *testing.T, a *api) []textColumn {
	t.Helper()
	var cols []textColumn
	err := a.db.Bun().NewRaw(`SELECT table_name AS table, column_name AS column, data_type AS type FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb') ORDER BY 1, 2`).Scan(context.Background(), &cols)
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// storedVerbatim reports whether v is the exact value of a text column, or
// of a string inside a jsonb column, somewhere in the database.
func storedVerbatim(t *testing.T, a *api, cols []textColumn, v string) bool {
	t.Helper()
	for _, c := range cols {
		q := fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %q WHERE %q = $1)`, c.Table, c.Column)
		if c.Type == "jsonb" {
			q = fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %q, jsonb_path_query(%q, 'strict $.**') AS j WHERE jsonb_typeof(j) = 'string' AND j #>> '{}' = $1)`, c.Table, c.Column)
		}
		var ok bool
		if err := a.db.Bun().DB.QueryRowContext(context.Background(), q, v).Scan(&ok); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestHostileSearchPages pages through search results whose text holds
// placeholders and quotes, and whose cursors are long: the cursors the
// server makes work, and a cursor of one search is refused by another.
func TestHostileSearchPages(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	f := newFixture(t, a)
	for range 5 {
		f.member()
	}
	const q = `query($s: String, $c: String) { members(first: 2, after: $c, filter: {search: $s}) {
	  totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`
	type page struct {
		Members struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	for _, search := range []string{
		"fixture ?", "fixture ? ?", "fixture or ?TableName ?TableAlias ?0", `fixture '?' "?"`, "fixture or $1 \\? ?'",
		"fixture " + strings.Repeat("🦀", 190), "fixture " + strings.Repeat("\x01", 190), "fixture " + strings.Repeat(`"`, 190),
	} {
		t.Run(search[:min(len(search), 30)], func(t *testing.T) {
			var names []string
			cursor := any(nil)
			for range 5 {
				resp := a.do(f.staff, q, map[string]any{"s": search, "c": cursor})
				if len(resp.Errors) > 0 || resp.Status != http.StatusOK {
					t.Fatalf("after %v: %d %+v", cursor, resp.Status, resp.Errors)
				}
				var p page
				if err := json.Unmarshal(resp.Data, &p); err != nil {
					t.Fatal(err)
				}
				for _, e := range p.Members.Edges {
					names = append(names, e.Node.Name)
				}
				if !p.Members.PageInfo.HasNextPage {
					break
				}
				cursor = p.Members.PageInfo.EndCursor
				// The cursor of this search is refused by another one.
				other := a.do(f.staff, q, map[string]any{"s": "fixture", "c": cursor})
				if other.code() != domain.CodeBadUserInput {
					t.Errorf("cursor of %q used with another search: %+v", search, other.Errors)
				}
			}
			if len(names) != 5 {
				t.Errorf("paged through %d members, want 5: %v", len(names), names)
			}
		})
	}
}

// TestHostileCoversEveryStringArgument fails when a field argument of the
// schema takes text the battery does not try hostile values on, so that a
// new filter is added to TestHostileInput. Mutation inputs are walked by
// the battery itself; after and before are cursors (TestHostileInput and
// TestHostileForeignCursors).
func TestHostileCoversEveryStringArgument(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{
		"Query.members.filter.search": true, "Query.members.filter.regions[0]": true, "Query.members.filter.departments[0]": true,
		"Query.dashboard.filter.regions[0]": true, "Query.__type.name": true, "Query.auditLog.filter.mutations[0]": true,
	}
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, def := range s.Types {
		if def.Kind != ast.Object || def == s.Mutation || strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			for _, arg := range f.Arguments {
				for _, p := range stringPaths(s, arg.Type, inputPath{arg.Name}) {
					name := def.Name + "." + f.Name + "." + p.field()
					if p.field() != "after" && p.field() != "before" && !covered[name] {
						t.Errorf("%s takes text that TestHostileInput does not cover", name)
					}
				}
			}
		}
	}
}
