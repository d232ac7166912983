import { render } from '@testing-library/react';
import type { User } from 'oidc-client-ts';
import type { ReactNode } from 'react';
import { MemoryRouter, Routes, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { AuthContext, type Auth } from '../auth/auth';

/** A JWT-shaped token (unsigned) whose payload carries `claims`: what Keycloak's access token looks like to the app. */
export function fakeToken(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64({ alg: 'none' })}.${b64(claims)}.sig`;
}

/** Someone signed in as `userId` (null: anonymous) with the given realm roles in the access token. */
export function auth(userId: string | null, roles: string[] = []): Auth {
  const token = userId ? fakeToken({ sub: userId, realm_access: { roles } }) : null;
  return {
    available: true,
    user: userId ? ({ profile: { sub: userId }, access_token: token } as unknown as User) : null,
    userId,
    displayName: userId,
    signIn: vi.fn(async () => {}),
    signOut: vi.fn(async () => {}),
    accessToken: async () => token,
    dropSession: vi.fn(),
    completeSignIn: async () => '/',
  };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** Stubs fetch with `answer`; records each request with its parsed JSON body. */
export function stubFetch(answer: (request: Request, url: URL) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://gateway.test'), init);
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
      const url = new URL(request.url);
      requests.push({ method: request.method, url, headers: request.headers, body: text ? JSON.parse(text) : undefined });
      return answer(request, url);
    }),
  );
  return requests;
}

function Where() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname + location.search}</p>;
}

/** Renders `routes` at `path` with the API on http://gateway.test; the current location is in testid "location". */
export function renderAt(path: string, who: Auth, routes: ReactNode) {
  return render(
    <AuthContext.Provider value={who}>
      <ApiProvider baseUrl="http://gateway.test">
        <MemoryRouter initialEntries={[path]}>
          <Routes>{routes}</Routes>
          <Where />
        </MemoryRouter>
      </ApiProvider>
    </AuthContext.Provider>,
  );
}
