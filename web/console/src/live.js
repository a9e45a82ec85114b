// The live subscription: networkChanged over graphql-ws (the
// graphql-transport-ws protocol) at the GraphQL endpoint, the token in
// connection_init's payload as {"Authorization": "Bearer …"}.

import { createClient } from "graphql-ws";
import { endpointURL } from "./api.js";
import { LIVE_SUBSCRIPTION } from "./documents.js";


// subscribeNetwork calls onEvent(version) for every new network version
// and onStatus("connecting" | "connected" | "offline" | "refused") as the
// connection goes; it answers a function that ends the subscription.
export function subscribeNetwork(token, onEvent, onStatus) {
  const url = endpointURL();
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let refused = false;
  const client = createClient({
    url: url.toString(),
    connectionParams: () => ({ Authorization: `Bearer ${token}` }),
    lazy: false,
    keepAlive: 20000,
    retryAttempts: Infinity,
    // 4401/4403: the token is refused or expired; 4400: a bad request. Do not retry those.
    shouldRetry: (e) => {
      const code = e && typeof e === "object" && "code" in e ? e.code : 0;
      if (code === 4401 || code === 4403 || code === 4400) {
        refused = true;
        return false;
      }
      return true;
    },
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(30000, 1000 * 2 ** retries)));
    },
    on: {
      connecting: () => onStatus("connecting"),
      connected: () => onStatus("connected"),
      closed: () => onStatus(refused ? "refused" : "offline"),
    },
  });
  const stop = client.subscribe(
    { query: LIVE_SUBSCRIPTION },
    {
      next: (msg) => {
        if (msg.data && msg.data.networkChanged) onEvent(msg.data.networkChanged);
      },
      error: () => onStatus(refused ? "refused" : "offline"),
      complete: () => {},
    },
  );
  return () => {
    stop();
    client.dispose();
  };
}
