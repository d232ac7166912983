import type { User } from 'oidc-client-ts';

/**
 * The realm roles of the signed-in user: Keycloak puts them in the access token's `realm_access.roles` (the id
 * token's profile has them only when the realm maps them there, so both are read). The token is only decoded to
 * decide what to show; the services check the role themselves.
 */
export function realmRoles(user: User | null): string[] {
  if (!user) {
    return [];
  }
  const roles = new Set<string>();
  const add = (claims: unknown) => {
    const list = (claims as { realm_access?: { roles?: unknown } } | null)?.realm_access?.roles;
    if (Array.isArray(list)) {
      list.filter((r): r is string => typeof r === 'string').forEach((r) => roles.add(r));
    }
  };
  add(user.profile);
  add(jwtPayload(user.access_token));
  return [...roles];
}

/** The payload of a JWT (base64url JSON), or null when it is not one. */
export function jwtPayload(token: string | undefined): unknown {
  const part = token?.split('.')[1];
  if (!part) {
    return null;
  }
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
