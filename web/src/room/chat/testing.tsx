import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ApiProvider } from '../../api/ApiContext';
import { AuthContext } from '../../auth/auth';
import { testAuth } from '../../test/auth';

/** Test helpers for the room components: a signed-in (or anonymous) user, the API clients and a recorded fetch. */
export { testAuth };

export const json = (body: unknown, status = 200) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

/** Stubs fetch with `answer` (given method and path) and records every request with its parsed JSON body. */
export function stubFetch(answer: (method: string, path: string, request: Request) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://gateway.test'), init);
      const url = new URL(request.url);
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
      requests.push({
        method: request.method,
        path: url.pathname + url.search,
        body: text ? JSON.parse(text) : undefined,
        authorization: request.headers.get('Authorization'),
      });
      return answer(request.method, url.pathname, request);
    }),
  );
  return requests;
}

/** Renders `ui` with the auth and API providers; `rerender` keeps them (so the component keeps its state). */
export function renderWithApi(ui: ReactElement, userId: string | null = 'u-alice') {
  const auth = testAuth(userId);
  const wrap = (node: ReactElement) => (
    <AuthContext.Provider value={auth}>
      <ApiProvider baseUrl="http://gateway.test">{node}</ApiProvider>
    </AuthContext.Provider>
  );
  const result = render(wrap(ui));
  return { ...result, rerender: (node: ReactElement) => result.rerender(wrap(node)) };
}
