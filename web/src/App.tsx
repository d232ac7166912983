import type { UserManager } from 'oidc-client-ts';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { ApiProvider } from './api/ApiContext';
import { AuthProvider, CALLBACK_PATH, useAuth } from './auth/auth';
import { MainNav } from './components/MainNav';
import { AnalyticsOverviewPage } from './pages/AnalyticsOverviewPage';
import { AuthCallbackPage } from './pages/AuthCallbackPage';
import { DiscoverPage } from './pages/DiscoverPage';
import { EpisodePage } from './pages/EpisodePage';
import { LibraryPage } from './pages/LibraryPage';
import { SessionAnalyticsPage } from './pages/SessionAnalyticsPage';
import { SessionCreatePage, SessionEditPage } from './pages/SessionFormPage';
import { MiniPlayer } from './room/MiniPlayer';
import { RoomProvider } from './room/RoomProvider';

// the room page and LiveKit's client load when a room is opened (their own chunks), not with the first page
const RoomPage = lazy(() => import('./room/RoomPage').then((m) => ({ default: m.RoomPage })));

function Account() {
  const auth = useAuth();
  if (!auth.available) {
    return <span className="muted">Browsing anonymously</span>;
  }
  return auth.user ? (
    <>
      <span>Signed in as {auth.displayName}</span>{' '}
      <button type="button" onClick={() => void auth.signOut()}>
        Sign out
      </button>
    </>
  ) : (
    <button type="button" onClick={() => void auth.signIn()}>
      Sign in
    </button>
  );
}

function NotFound() {
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Page not found</h1>
      <p>
        <Link to="/">Back to Discover</Link>
      </p>
    </section>
  );
}

export function AppRoutes() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          livestage
        </Link>
        <MainNav />
        <div className="account">
          <Account />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<DiscoverPage />} />
          <Route path="/sessions/:id/analytics" element={<SessionAnalyticsPage />} />
          <Route path="/sessions/new" element={<SessionCreatePage />} />
          <Route path="/sessions/:id/edit" element={<SessionEditPage />} />
          <Route path="/library" element={<LibraryPage />} />
          <Route path="/library/:episodeId" element={<EpisodePage />} />
          <Route path="/analytics" element={<AnalyticsOverviewPage />} />
          <Route
            path="/s/:ref"
            element={
              <Suspense fallback={<p role="status">Opening the room…</p>}>
                <RoomPage />
              </Suspense>
            }
          />
          <Route path={CALLBACK_PATH} element={<AuthCallbackPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
      <MiniPlayer />
    </>
  );
}

export function App({ manager }: { manager: UserManager | null }) {
  return (
    <AuthProvider manager={manager}>
      <ApiProvider>
        <BrowserRouter>
          <RoomProvider>
            <AppRoutes />
          </RoomProvider>
        </BrowserRouter>
      </ApiProvider>
    </AuthProvider>
  );
}
