// PostGraphile 5 serving grappe's database: the peer of grappe's load
// benchmark (issue 7). Run it with the Node 22 of node_modules/.bin/node:
//
//   DATABASE_URL=postgres://… PORT=5678 node_modules/.bin/node server.mjs
//
// It applies setup.sql (a grappe_peer schema of views and one function)
// before it introspects, then serves GraphQL at /graphql with production
// settings: no GraphiQL, no watch mode, no explain, a pool of POOL_SIZE
// (default 20, like grappe's) connections.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("DATABASE_URL is required");
  process.exit(2);
}
const port = Number(process.env.PORT ?? 5678);
const host = process.env.HOST ?? "127.0.0.1";
const poolSize = Number(process.env.POOL_SIZE ?? 20);

// setup applies setup.sql once, under an advisory lock so that two servers
// starting on the same database do not race.
async function setup() {
  const sql = await readFile(new URL("./setup.sql", import.meta.url), "utf8");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('grappe_peer setup'))");
    await client.query("SET LOCAL client_min_messages = warning");
    await client.query(sql);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

await setup();

const pool = new pg.Pool({ connectionString, max: poolSize });
pool.on("error", (err) => console.error("idle client error:", err.message));

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [makePgService({ pool, schemas: ["public", "grappe_peer"] })],
  schema: {
    // Filters across relations: the directory's trade filter.
    connectionFilterRelations: true,
  },
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false, maxRequestLength: 1 << 20 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (err) => {
  console.error(err);
  process.exit(1);
});
await serv.addTo(server);
await pgl.getSchema(); // build the schema before answering anything
server.listen(port, host, () => {
  console.log(`postgraphile ready at http://${host}:${port}/graphql`);
});

async function shutdown() {
  server.close();
  await pgl.release();
  await pool.end();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
