/** Minimal GraphQL-over-HTTP client for seeding data through the real API. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

export async function logIn(url: string, username: string, password: string) {
  const data = await gql<{ logIn: { token: string; user: { id: string } } }>(
    url,
    'mutation ($u: String!, $p: String!) { logIn(username: $u, password: $p) { token user { id } } }',
    { u: username, p: password },
  );
  return data.logIn;
}

/** Sends a message; resolves to its id. */
export async function sendMessage(url: string, token: string, recipientId: string, content: string): Promise<string> {
  const data = await gql<{ sendMessage: { id: string } }>(
    url,
    'mutation ($r: ID!, $c: String!) { sendMessage(recipientId: $r, content: $c) { id } }',
    { r: recipientId, c: content },
    token,
  );
  return data.sendMessage.id;
}

export async function signUp(url: string, username: string, password: string, displayName: string) {
  const data = await gql<{ signUp: { token: string; user: { id: string } } }>(
    url,
    'mutation ($u: String!, $p: String!, $d: String) { signUp(username: $u, password: $p, displayName: $d) { token user { id } } }',
    { u: username, p: password, d: displayName },
  );
  return data.signUp;
}

/** Every message of a conversation as the server stores it, oldest first. */
export async function conversation(url: string, token: string, withUserId: string) {
  const data = await gql<{ chatHistory: { edges: Array<{ node: { id: string; content: string } }> } }>(
    url,
    'query ($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { id content } } } }',
    { w: withUserId },
    token,
  );
  return data.chatHistory.edges.map((e) => e.node);
}

/**
 * Sends many messages through the API, `concurrency` requests at a time (their order within a batch is the
 * server's); resolves when all are stored.
 */
export async function sendMany(
  url: string,
  messages: ReadonlyArray<{ token: string; recipientId: string; content: string }>,
  concurrency = 16,
) {
  let next = 0;
  async function worker() {
    while (next < messages.length) {
      const m = messages[next++]!;
      await sendMessage(url, m.token, m.recipientId, m.content);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
}
