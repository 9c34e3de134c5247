/**
 * A scripted server for what the app sends over plain HTTP before Apollo is loaded (auth/authRequest.ts: log in,
 * sign up, restoring a session without a saved viewer, logging out from the error screen): it replaces the global
 * `fetch` until the returned `restore` is called. Operations are answered by name, in order when a list is given
 * (the last answer then repeats); generated documents come by id, as the real server gets them.
 */

/** A GraphQL response body, an HTTP answer of another kind, or a failure of fetch itself. */
export type HttpAnswer =
  | object
  | { status: number; body: string; headers?: Record<string, string> }
  | Error
  | ((request: HttpRequest) => object | Error);

export interface HttpRequest {
  operationName: string;
  variables: Record<string, unknown>;
  /** The text, when sent (the id is sent first, alone). */
  query?: string;
  sha256Hash?: string;
  authorization: string | null;
}

const isRaw = (answer: object): answer is { status: number; body: string; headers?: Record<string, string> } =>
  'status' in answer && 'body' in answer;

export function httpGraphql(answers: Record<string, HttpAnswer | HttpAnswer[]>) {
  const received: HttpRequest[] = [];
  const used = new Map<string, number>();
  const original = Object.getOwnPropertyDescriptor(globalThis, 'fetch');

  const fetch = jest.fn(async (_uri: unknown, init?: RequestInit) => {
    const sent = JSON.parse(String(init?.body)) as {
      operationName: string;
      variables?: Record<string, unknown>;
      query?: string;
      extensions?: { persistedQuery?: { sha256Hash?: string } };
    };
    const request: HttpRequest = {
      operationName: sent.operationName,
      variables: sent.variables ?? {},
      query: sent.query,
      sha256Hash: sent.extensions?.persistedQuery?.sha256Hash,
      authorization: new Headers(init?.headers).get('authorization'),
    };
    received.push(request);
    const scripted = answers[request.operationName];
    const list = Array.isArray(scripted) ? scripted : scripted === undefined ? [] : [scripted];
    const index = used.get(request.operationName) ?? 0;
    used.set(request.operationName, index + 1);
    const next: HttpAnswer = list[Math.min(index, list.length - 1)] ?? {
      errors: [{ message: `No answer scripted for ${request.operationName}` }],
    };
    const answer = typeof next === 'function' ? next(request) : next;
    if (answer instanceof Error) throw answer;
    const raw = isRaw(answer)
      ? answer
      : { status: 200, body: JSON.stringify(answer), headers: { 'content-type': 'application/graphql-response+json' } };
    return {
      ok: raw.status >= 200 && raw.status < 300,
      status: raw.status,
      headers: new Headers(raw.headers),
      text: async () => raw.body,
    } as unknown as Response;
  });

  Object.defineProperty(globalThis, 'fetch', { value: fetch, configurable: true, writable: true });
  return {
    fetch,
    received,
    restore() {
      if (original) Object.defineProperty(globalThis, 'fetch', original);
      else delete (globalThis as { fetch?: unknown }).fetch;
    },
  };
}
