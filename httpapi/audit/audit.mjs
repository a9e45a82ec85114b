// Runs the graphql-http audit suite (the GraphQL-over-HTTP specification's
// MUST, SHOULD and MAY requirements) against a running grappe, and prints
// the results as one JSON object on stdout:
//
//   {"url": "…", "total": N, "ok": N, "failures": [{"id", "name", "level", "status", "reason"}, …]}
//
// Usage: node audit.mjs http://127.0.0.1:8080/graphql
//
// The exit status is 0 whatever the failures (the caller decides which
// levels matter), 2 when the audit itself could not run.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

try {
  const results = await auditServer({ url });
  const failures = results
    .filter((r) => r.status !== 'ok')
    .map((r) => ({
      id: r.id,
      name: r.name,
      level: r.name.split(' ', 1)[0],
      status: r.status,
      reason: r.reason,
    }));
  console.log(JSON.stringify({ url, total: results.length, ok: results.length - failures.length, failures }));
} catch (err) {
  console.error(`audit could not run against ${url}: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
}
