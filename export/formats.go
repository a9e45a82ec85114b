package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"time"

	"grappe/domain"
	"grappe/network"
)

// graphMLHead opens a GraphML document and declares its attributes. The
// key ids are the attribute names, which NetworkX, Gephi and yEd show;
// label repeats the name because Gephi labels nodes with it.
const graphMLHead = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="version" for="graph" attr.name="version" attr.type="long"/>
  <key id="asOf" for="graph" attr.name="asOf" attr.type="string"/>
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="sizeClass" for="node" attr.name="sizeClass" attr.type="string"/>
  <key id="region" for="node" attr.name="region" attr.type="string"/>
  <key id="trades" for="node" attr.name="trades" attr.type="string"/>
  <key id="community" for="node" attr.name="community" attr.type="int"/>
  <graph id="grappe" edgedefault="undirected">
`

// xmlOut writes XML to a buffered writer, keeping the first error.
type xmlOut struct {
	w   *bufio.Writer
	err error
}

// raw writes s as is: markup or text known to need no escaping.
func (o *xmlOut) raw(s string) {
	if o.err == nil {
		_, o.err = o.w.WriteString(s)
	}
}

// text writes s escaped for character data or a quoted attribute value.
// encoding/xml escapes the five XML specials, tabs and line breaks, and
// replaces characters XML cannot hold by U+FFFD.
func (o *xmlOut) text(s string) {
	if o.err == nil {
		o.err = xml.EscapeText(o.w, []byte(s))
	}
}

// data writes a <data> element, or nothing for an empty value.
func (o *xmlOut) data(key, value string) {
	if value == "" {
		return
	}
	o.raw(`<data key="`)
	o.raw(key)
	o.raw(`">`)
	o.text(value)
	o.raw(`</data>`)
}

// writeGraphML writes snap as an undirected GraphML graph: one node per
// member, with its attributes, then one edge per linked pair.
func (h *Handler) writeGraphML(ctx context.Context, snap *network.Snapshot, comm communities, start func() *bufio.Writer) error {
	var o *xmlOut
	begin := func() {
		if o == nil {
			o = &xmlOut{w: start()}
			o.raw(graphMLHead)
			o.raw(`    <data key="version">` + strconv.FormatUint(snap.Version, 10) + "</data>\n")
			o.raw(`    <data key="asOf">` + snap.AsOf.UTC().Format(time.RFC3339) + "</data>\n")
		}
	}
	err := h.eachNode(ctx, snap, comm, func(_ int, m domain.MemberAttributes, community int32) error {
		begin()
		o.raw(`    <node id="`)
		o.text(memberGID(m.ID))
		o.raw(`">`)
		o.data("label", m.Name)
		o.data("name", m.Name)
		o.data("kind", string(m.Kind))
		o.data("sizeClass", string(m.SizeClass))
		o.data("region", m.Region)
		o.data("trades", strings.Join(m.Trades, ";"))
		o.data("community", communityText(community))
		o.raw("</node>\n")
		return o.err
	})
	if err != nil {
		return err
	}
	begin()
	for a, b := range snap.Edges() {
		o.raw(`    <edge source="`)
		o.raw(memberGID(a)) // base64url: nothing to escape
		o.raw(`" target="`)
		o.raw(memberGID(b))
		o.raw("\"/>\n")
		if o.err != nil {
			return o.err
		}
	}
	o.raw("  </graph>\n</graphml>\n")
	return o.err
}

// edgesHeader is the header of the edge list.
var edgesHeader = []string{"source", "target", "source_name", "target_name"}

// writeEdges writes the edge list as CSV: the global ids of the two members
// of each linked pair and their names. The names are read first, into one
// string per node (the file itself is never held), since edges come in an
// order no SQL row order follows.
func (h *Handler) writeEdges(ctx context.Context, snap *network.Snapshot, comm communities, start func() *bufio.Writer) error {
	ids := snap.Members()
	names := make([]string, len(ids))
	err := h.eachNode(ctx, snap, comm, func(i int, m domain.MemberAttributes, _ int32) error {
		names[i] = m.Name
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	name := func(id int64) string {
		i, _ := slices.BinarySearch(ids, id)
		return names[i]
	}
	cw := csv.NewWriter(start())
	if err := cw.Write(edgesHeader); err != nil {
		return err
	}
	row := make([]string, 4)
	for a, b := range snap.Edges() {
		row[0], row[1], row[2], row[3] = memberGID(a), memberGID(b), cell(name(a)), cell(name(b))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// membersHeader is the header of the node table.
var membersHeader = []string{"id", "name", "kind", "sizeClass", "region", "trades", "community"}

// writeMembers writes one CSV row per node with its attributes; its id
// column matches the source and target columns of the edge list.
func (h *Handler) writeMembers(ctx context.Context, snap *network.Snapshot, comm communities, start func() *bufio.Writer) error {
	var cw *csv.Writer
	begin := func() error {
		if cw == nil {
			cw = csv.NewWriter(start())
			return cw.Write(membersHeader)
		}
		return nil
	}
	row := make([]string, len(membersHeader))
	err := h.eachNode(ctx, snap, comm, func(_ int, m domain.MemberAttributes, community int32) error {
		if err := begin(); err != nil {
			return err
		}
		row[0], row[1], row[2], row[3] = memberGID(m.ID), cell(m.Name), string(m.Kind), string(m.SizeClass)
		row[4], row[5], row[6] = cell(m.Region), cell(strings.Join(m.Trades, ";")), communityText(community)
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	if err := begin(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cell guards a free-text CSV cell against formula injection: a
// spreadsheet would run a cell starting with =, +, -, @, a tab or a
// carriage return as a formula, so such a cell gets a leading apostrophe
// (OWASP's advice), which spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
