import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { WebConfig } from '../config';

/**
 * Sign-in with the realm's public client `livestage-web`: authorization code flow with PKCE (S256, oidc-client-ts'
 * default), tokens kept in sessionStorage (gone when the tab closes), renewed with the refresh token before they
 * expire. Nobody has to sign in: anonymous visitors see PUBLIC sessions.
 */
export interface Auth {
  /** false when the deployment has no identity provider (e.g. LIVESTAGE_KEYCLOAK=off): sign-in is unavailable */
  available: boolean;
  user: User | null;
  /** the token's `sub`: the user id the API uses (hostId, ...) */
  userId: string | null;
  displayName: string | null;
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** the current access token, renewed first when it has expired; null when nobody is signed in */
  accessToken: () => Promise<string | null>;
  /** forgets the session locally (the API said 401 to its token) */
  dropSession: () => void;
  /** completes the redirect back from the identity provider; resolves to the path to return to */
  completeSignIn: () => Promise<string>;
}

export const CALLBACK_PATH = '/auth/callback';

export function createUserManager(config: WebConfig, origin: string): UserManager | null {
  if (!config.oidcAuthority) {
    return null;
  }
  return new UserManager({
    authority: config.oidcAuthority,
    client_id: config.oidcClientId,
    redirect_uri: origin + CALLBACK_PATH,
    post_logout_redirect_uri: origin + '/',
    response_type: 'code',
    scope: 'openid profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: globalThis.sessionStorage }),
  });
}

/** The access token of `manager`'s user: renewed with the refresh token when expired, null when there is none. */
export async function currentAccessToken(manager: UserManager | null): Promise<string | null> {
  if (!manager) {
    return null;
  }
  let user = await manager.getUser();
  if (!user) {
    return null;
  }
  if (user.expired) {
    try {
      user = await manager.signinSilent();
    } catch {
      await manager.removeUser();
      return null;
    }
  }
  return user?.access_token ?? null;
}

export const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ manager, children }: { manager: UserManager | null; children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);

  useEffect(() => {
    if (!manager) {
      return;
    }
    let active = true;
    void manager.getUser().then((u) => active && setUser(u && !u.expired ? u : null));
    const loaded = (u: User) => setUser(u);
    const unloaded = () => setUser(null);
    manager.events.addUserLoaded(loaded);
    manager.events.addUserUnloaded(unloaded);
    manager.events.addUserSignedOut(unloaded);
    return () => {
      active = false;
      manager.events.removeUserLoaded(loaded);
      manager.events.removeUserUnloaded(unloaded);
      manager.events.removeUserSignedOut(unloaded);
    };
  }, [manager]);

  const signIn = useCallback(
    async (returnTo?: string) => {
      if (!manager) {
        throw new Error('sign-in is not available: this deployment has no identity provider');
      }
      await manager.signinRedirect({ state: { returnTo: returnTo ?? currentPath() } });
    },
    [manager],
  );
  const signOut = useCallback(async () => {
    if (!manager) {
      return;
    }
    const u = await manager.getUser();
    await manager.removeUser();
    setUser(null);
    if (u?.id_token) {
      await manager.signoutRedirect({ id_token_hint: u.id_token });
    }
  }, [manager]);
  const accessToken = useCallback(() => currentAccessToken(manager), [manager]);
  const dropSession = useCallback(() => {
    void manager?.removeUser();
    setUser(null);
  }, [manager]);
  const completeSignIn = useCallback(async () => {
    if (!manager) {
      return '/';
    }
    const u = await manager.signinRedirectCallback();
    setUser(u);
    const returnTo = (u.state as { returnTo?: string } | undefined)?.returnTo;
    return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  }, [manager]);

  const value = useMemo<Auth>(
    () => ({
      available: manager !== null,
      user,
      userId: user?.profile.sub ?? null,
      displayName: user ? String(user.profile.preferred_username ?? user.profile.name ?? user.profile.sub) : null,
      signIn,
      signOut,
      accessToken,
      dropSession,
      completeSignIn,
    }),
    [manager, user, signIn, signOut, accessToken, dropSession, completeSignIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) {
    throw new Error('useAuth outside <AuthProvider>');
  }
  return auth;
}

function currentPath(): string {
  const l = globalThis.location;
  return l ? l.pathname + l.search : '/';
}
