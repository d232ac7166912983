import type { UserManager } from 'oidc-client-ts';
import { describe, expect, it, vi } from 'vitest';
import { currentAccessToken } from '../auth/auth';
import { createApi } from './client';

function recordingFetch(status = 200, body: unknown = { items: [], nextCursor: null }) {
  const requests: Request[] = [];
  const fetchStub = vi.fn(async (input: Request) => {
    requests.push(input);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return { requests, fetch: fetchStub as unknown as typeof fetch };
}

describe('the bearer token middleware', () => {
  it('adds the signed-in user\'s token to every service client, on the gateway origin', async () => {
    const { requests, fetch } = recordingFetch();
    const api = createApi({ baseUrl: 'http://gateway.test', token: async () => 'abc.def', fetch });
    await api.sessions.GET('/api/sessions', { params: { query: { status: 'ACTIVE', limit: 5 } } });
    await api.analytics.GET('/api/sessions/{id}/analytics', { params: { path: { id: 's-1' } } });
    expect(requests.map((r) => r.url)).toEqual([
      'http://gateway.test/api/sessions?status=ACTIVE&limit=5',
      'http://gateway.test/api/sessions/s-1/analytics',
    ]);
    expect(requests.map((r) => r.headers.get('Authorization'))).toEqual(['Bearer abc.def', 'Bearer abc.def']);
  });

  it('asks for the token on each request, so a renewed one is used', async () => {
    const { requests, fetch } = recordingFetch();
    const tokens = ['first', 'second'];
    const api = createApi({ baseUrl: 'http://gateway.test', token: async () => tokens.shift() ?? null, fetch });
    await api.sessions.GET('/api/sessions');
    await api.sessions.GET('/api/sessions');
    await api.sessions.GET('/api/sessions');
    expect(requests.map((r) => r.headers.get('Authorization'))).toEqual(['Bearer first', 'Bearer second', null]);
  });

  it('sends anonymous requests without an Authorization header', async () => {
    const { requests, fetch } = recordingFetch();
    const api = createApi({ baseUrl: 'http://gateway.test', token: async () => null, fetch });
    await api.sessions.GET('/api/sessions');
    expect(requests[0].headers.has('Authorization')).toBe(false);
  });

  it('keeps an Authorization header the caller set', async () => {
    const { requests, fetch } = recordingFetch();
    const api = createApi({ baseUrl: 'http://gateway.test', token: async () => 'user-token', fetch });
    await api.tokens.POST('/api/tokens', {
      body: { session: 's-1' } as never,
      headers: { Authorization: 'Bearer explicit' },
    });
    expect(requests[0].headers.get('Authorization')).toBe('Bearer explicit');
  });

  it('reports a 401 to a request that carried its token, not to an anonymous one', async () => {
    const onUnauthorized = vi.fn();
    const problem = { title: 'Unauthorized', detail: 'the bearer token is invalid or expired' };
    const signedIn = createApi({
      baseUrl: 'http://gateway.test',
      token: async () => 'revoked',
      onUnauthorized,
      fetch: recordingFetch(401, problem).fetch,
    });
    const { error, response } = await signedIn.analytics.GET('/api/me/analytics');
    expect(response.status).toBe(401);
    expect(error).toEqual(problem);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);

    const anonymous = createApi({
      baseUrl: 'http://gateway.test',
      token: async () => null,
      onUnauthorized,
      fetch: recordingFetch(401, problem).fetch,
    });
    await anonymous.analytics.GET('/api/me/analytics');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});

describe('currentAccessToken', () => {
  const manager = (user: unknown, silent: () => Promise<unknown>) => {
    const removeUser = vi.fn(async () => {});
    const m = { getUser: vi.fn(async () => user), signinSilent: vi.fn(silent), removeUser };
    return m as typeof m & UserManager;
  };

  it('is null without a provider or without a user', async () => {
    expect(await currentAccessToken(null)).toBeNull();
    expect(await currentAccessToken(manager(null, async () => null))).toBeNull();
  });

  it('gives a valid token as it is', async () => {
    const m = manager({ expired: false, access_token: 'valid' }, async () => null);
    expect(await currentAccessToken(m)).toBe('valid');
    expect(m.signinSilent).not.toHaveBeenCalled();
  });

  it('renews an expired token first', async () => {
    const m = manager({ expired: true, access_token: 'old' }, async () => ({ expired: false, access_token: 'renewed' }));
    expect(await currentAccessToken(m)).toBe('renewed');
  });

  it('forgets the user when renewal fails, and goes anonymous', async () => {
    const m = manager({ expired: true, access_token: 'old' }, async () => {
      throw new Error('refresh token expired');
    });
    expect(await currentAccessToken(m)).toBeNull();
    expect(m.removeUser).toHaveBeenCalled();
  });
});
