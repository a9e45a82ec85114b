// GraphQL over HTTP POST to the page's endpoint, with the user's bearer token.
// Errors come back as ApiError with a code: the first error's
// extensions.code (UNAUTHENTICATED, FORBIDDEN, …), NETWORK when the server
// could not be reached, HTTP when it answered something else than GraphQL.

export class ApiError extends Error {
  constructor(code, message, errors) {
    super(message);
    this.code = code;
    this.errors = errors || [];
  }
}

let endpoint = "/graphql";
let token = null;

export function configure(opts) {
  if (opts.endpoint) endpoint = opts.endpoint;
  if ("token" in opts) token = opts.token;
}

export function currentToken() {
  return token;
}

export function endpointURL() {
  return new URL(endpoint, window.location.href);
}

// documentHash is the hex SHA-256 of a document's text, its trusted
// document id; null where the browser offers no digest (crypto.subtle
// needs a secure context: https, or localhost).
const hashes = new Map();
async function documentHash(text) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  if (!hashes.has(text)) {
    hashes.set(
      text,
      crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then((buf) =>
        [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join(""),
      ),
    );
  }
  return hashes.get(text);
}

// gql resolves to {data, errors}. It rejects when there is no data at all,
// or when an error concerns a root field (the whole answer is then unusable);
// errors on nested fields (e.g. a field withheld from the role, null with
// FORBIDDEN) are left to the caller, in `errors`, with the data. Each
// document goes with its id (APQ's persistedQuery extension): a server that
// trusts the console's documents (dist/documents.json) serves them to
// MEMBER callers in allowlist mode; another takes it as an APQ registration.
export async function gql(query, variables, { signal } = {}) {
  const hash = await documentHash(query);
  const payload = { query, variables: variables || {} };
  if (hash) payload.extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  let res;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(payload),
      signal,
    });
  } catch (e) {
    if (e && e.name === "AbortError") throw e;
    throw new ApiError("NETWORK", String(e && e.message ? e.message : e));
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status === 401 ? "UNAUTHENTICATED" : "HTTP", `HTTP ${res.status}`);
  }
  const errors = body.errors || [];
  const code = (e) => (e && e.extensions && e.extensions.code) || (res.status === 401 ? "UNAUTHENTICATED" : "ERROR");
  if (res.status === 401) throw new ApiError("UNAUTHENTICATED", errors[0]?.message || "unauthenticated", errors);
  if (!body.data) {
    throw new ApiError(code(errors[0]), errors.map((e) => e.message).join("; ") || `HTTP ${res.status}`, errors);
  }
  const rootError = errors.find((e) => !e.path || e.path.length <= 1);
  if (rootError) throw new ApiError(code(rootError), rootError.message, errors);
  return { data: body.data, errors };
}

// withheld(errors, path…) tells whether the field at path (e.g. "member",
// "centrality") was withheld from the viewer.
export function fieldError(errors, ...path) {
  return errors.find((e) => e.path && path.every((p, i) => e.path[i] === p));
}
