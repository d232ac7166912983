import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config';

const answer = (body: string, status = 200, type = 'application/json') =>
  vi.fn(async () => new Response(body, { status, headers: { 'Content-Type': type } })) as unknown as typeof fetch;

describe('loadConfig', () => {
  it('takes the identity provider the gateway announces', async () => {
    const config = await loadConfig(
      answer(JSON.stringify({ oidcAuthority: 'https://id.example.org/realms/live', oidcClientId: 'web' })),
    );
    expect(config).toEqual({ oidcAuthority: 'https://id.example.org/realms/live', oidcClientId: 'web' });
  });

  it('keeps "no identity provider" when the gateway says so', async () => {
    expect((await loadConfig(answer(JSON.stringify({ oidcAuthority: null })))).oidcAuthority).toBeNull();
  });

  it('falls back to the build-time default without a gateway answer', async () => {
    expect(DEFAULT_CONFIG).toEqual({ oidcAuthority: 'http://localhost:8180/realms/livestage', oidcClientId: 'livestage-web' });
    expect(await loadConfig(answer('{"title":"Not Found"}', 404, 'application/problem+json'))).toEqual(DEFAULT_CONFIG);
    expect(await loadConfig(answer('<!doctype html>', 200, 'text/html'))).toEqual(DEFAULT_CONFIG);
    expect(
      await loadConfig(vi.fn(async () => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch),
    ).toEqual(DEFAULT_CONFIG);
  });
});
