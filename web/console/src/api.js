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

// gql resolves to {data, errors}. It rejects when there is no data at all,
// or when an error concerns a root field (the whole answer is then unusable);
// errors on nested fields (e.g. a field withheld from the role, null with
// FORBIDDEN) are left to the caller, in `errors`, with the data.
export async function gql(query, variables, { signal } = {}) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables: variables || {} }),
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
