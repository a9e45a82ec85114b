// Subscribes to a running grappe with an unmodified npm client, graphql-ws
// (graphql-transport-ws over WebSocket) or graphql-sse (Server-Sent Events,
// distinct connections mode), and prints what happens as JSON lines on
// stdout:
//
//   {"event": "connected"}                       the connection is acknowledged
//   {"event": "ping"}                            the server pinged (graphql-ws answers with a pong)
//   {"event": "closed", "code": N, "reason": s}  the WebSocket closed
//   {"event": "next", "payload": {…}}            an execution result
//   {"event": "error", "error": …}               the subscription failed
//   {"event": "complete"}                        the subscription completed
//
// Usage: node subscribe.mjs ws|sse URL TOKEN COUNT QUERY
//
// It exits 0 once COUNT results came, 1 when the subscription fails or
// completes before, 2 on bad usage. The clients do not retry: a dropped
// connection shows as an error.
import { createClient as createWSClient } from 'graphql-ws';
import { createClient as createSSEClient } from 'graphql-sse';
import WebSocket from 'ws';

const [protocol, url, token, countArg, query] = process.argv.slice(2);
const count = Number(countArg);
if (!['ws', 'sse'].includes(protocol) || !url || !token || !(count > 0) || !query) {
  console.error('usage: node subscribe.mjs ws|sse URL TOKEN COUNT QUERY');
  process.exit(2);
}

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
// describe makes an error printable: a close event refers to its socket.
const describe = (err) => {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) return { code: err.code, reason: err.reason };
  return err;
};
const authorization = `Bearer ${token}`;

let client;
if (protocol === 'ws') {
  client = createWSClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: authorization },
    retryAttempts: 0,
    shouldRetry: () => false,
    on: {
      connected: () => print({ event: 'connected' }),
      ping: (received) => received && print({ event: 'ping' }),
      closed: (e) => print({ event: 'closed', code: e?.code, reason: e?.reason }),
    },
  });
} else {
  client = createSSEClient({
    url,
    headers: { Authorization: authorization },
    retryAttempts: 0,
    on: { connected: () => print({ event: 'connected' }) },
  });
}

let received = 0;
let finished = false;
const finish = async (status) => {
  if (finished) return;
  finished = true;
  await client.dispose();
  process.exit(status);
};

client.subscribe(
  { query },
  {
    next: (payload) => {
      print({ event: 'next', payload });
      if (++received >= count) finish(0);
    },
    error: (err) => {
      print({ event: 'error', error: describe(err) });
      finish(1);
    },
    complete: () => {
      print({ event: 'complete' });
      finish(received >= count ? 0 : 1);
    },
  },
);
