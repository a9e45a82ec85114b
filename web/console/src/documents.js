// Every GraphQL document the console sends, and nothing else: no import,
// so that build.mjs reads them (dist/documents.json, which the server
// trusts when it serves the console) and node --test runs them as they
// are. A document is built from constants only: its text, and so its
// SHA-256 id, never depends on what the user does.

// The whole network in one request (Network.graph, analysts and staff).
export const GRAPH_QUERY = `query ConsoleGraph($lang: Language) {
  trades { id name(lang: $lang) parent { id } }
  network {
    asOf memberCount linkCount modularity
    communities { id size }
    graph {
      nodes { member { id name kind sizeClass address { region } trades { id name(lang: $lang) } }
              degree pageRank community betweenness broker articulation }
      edges { from to links }
    }
  }
}`;

// A MEMBER's own neighbourhood (radius 2).
export const NEIGHBOURHOOD_QUERY = `query ConsoleNeighbourhood($lang: Language) {
  trades { id name(lang: $lang) parent { id } }
  viewer {
    role
    member {
      id name
      neighborhood(radius: 2, maxNodes: 1000) {
        truncated
        nodes { id name kind sizeClass address { region } trades { id name(lang: $lang) } }
        edges { from { id } to { id } }
      }
    }
  }
}`;

// Who the token is.
export const VIEWER_QUERY = `query ConsoleViewer { viewer { role member { id name } } }`;

// The shortest path between two members.
export const PATH_QUERY = `query ConsolePath($from: ID!, $to: ID!, $maxHops: Int) {
  path(from: $from, to: $to, maxHops: $maxHops) {
    hops
    members { id name }
    links { id kind from { id } to { id } }
  }
}`;

// The live subscription (analysts and staff).
export const LIVE_SUBSCRIPTION = `subscription ConsoleLive { networkChanged { version asOf memberCount linkCount } }`;

// A member's panel.
const PROFILE = `id name kind status sizeClass headcount website description joinedOn
  address { city region } trades { id name(lang: $lang) }
  partners(first: 100) { totalCount edges { node { id name } } }`;
const ANALYSIS = `centrality { degree degreeCentrality pageRank betweenness closeness clustering community { id size } }
  recommendedPartners(first: 8) { score member { id name } reasons { kind detail } }`;

// memberQuery: centrality and recommendations only where the role may read
// them (a MEMBER: its own), since a withheld non-null field nulls the member.
export function memberQuery(full) {
  return `query ConsoleMember($id: ID!, $lang: Language) { member(id: $id) { ${PROFILE} ${full ? ANALYSIS : ""} } }`;
}

// The rows of the two tables, and how many each "Show more" adds.
export const PAGE = 25;
export const AT_RISK_MAX = 100; // Engagement.atRisk's largest page
const AT_RISK_ROW = `member { id name address { city } contacts @include(if: $staff) { name phone } }
        lastActivityAt inactiveSince inactiveDays`;
const CALL_LIST_PAGE = `totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { member { id name contacts @include(if: $staff) { name phone } } reasons lastTouchpointAt } }`;

export const DASHBOARD_QUERY = `query ConsoleDashboard($filter: DashboardFilter, $lang: Language, $staff: Boolean!) {
  dashboard(filter: $filter) {
    memberCount
    bySizeClass { sizeClass count share }
    byKind { kind count share }
    byTrade(includeSubTrades: false) { trade { id code name(lang: $lang) } count share }
    byRegion { region count share }
    growth(interval: YEAR) { period joined left total }
    links {
      total confirmed pending declined ended
      byKind { kind total confirmed pending declined ended }
      byOrigin { origin total confirmed pending declined ended }
      created(interval: QUARTER) { period count }
    }
    groups { active closed byTheme { theme count active } meetingsHeld actionPlansPublished }
    engagement {
      distribution { from to count }
      averageScore
      atRiskCount
      atRisk(first: ${PAGE}) { ${AT_RISK_ROW} }
    }
  }
  callList(first: ${PAGE}) { ${CALL_LIST_PAGE} }
}`;

// More of the at-risk list, for the same filter (the list has no cursor:
// a longer first page, up to AT_RISK_MAX).
export const AT_RISK_QUERY = `query ConsoleAtRisk($filter: DashboardFilter, $first: Int!, $staff: Boolean!) {
  dashboard(filter: $filter) { engagement { atRiskCount atRisk(first: $first) { ${AT_RISK_ROW} } } }
}`;

// The next page of the call list.
export const CALL_LIST_QUERY = `query ConsoleCallList($after: String, $staff: Boolean!) {
  callList(first: ${PAGE}, after: $after) { ${CALL_LIST_PAGE} }
}`;

// The version of the network the server holds.
export const VERSION_QUERY = `query ConsoleNetworkVersion { network { asOf } }`;

// ALL is every document the console may send, each text once.
export const ALL = [
  VIEWER_QUERY,
  GRAPH_QUERY,
  NEIGHBOURHOOD_QUERY,
  VERSION_QUERY,
  memberQuery(true),
  memberQuery(false),
  PATH_QUERY,
  DASHBOARD_QUERY,
  AT_RISK_QUERY,
  CALL_LIST_QUERY,
  LIVE_SUBSCRIPTION,
];
