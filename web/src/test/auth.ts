import type { User } from 'oidc-client-ts';
import { vi } from 'vitest';
import type { Auth } from '../auth/auth';

/**
 * A signed-in user for tests (or anonymous with null): access token `token-of-<id>` and display name = the id unless
 * given.
 */
export function testAuth(userId: string | null, options: { displayName?: string; token?: string } = {}): Auth {
  const token = userId ? (options.token ?? `token-of-${userId}`) : null;
  return {
    available: true,
    user: userId ? ({ profile: { sub: userId }, access_token: token } as unknown as User) : null,
    userId,
    displayName: options.displayName ?? userId,
    signIn: vi.fn(async () => {}),
    signOut: vi.fn(async () => {}),
    accessToken: async () => token,
    dropSession: vi.fn(),
    completeSignIn: async () => '/',
  };
}
