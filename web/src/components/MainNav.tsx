import { NavLink } from 'react-router-dom';
import { useAuth } from '../auth/auth';

/** The header's navigation "Main": Discover and Library for everyone; Analytics and New session once signed in. */
export function MainNav() {
  const auth = useAuth();
  return (
    <nav aria-label="Main" className="main-nav">
      <NavLink to="/" end>
        Discover
      </NavLink>
      <NavLink to="/library">Library</NavLink>
      {auth.user && <NavLink to="/analytics">Analytics</NavLink>}
      {auth.user && <NavLink to="/sessions/new">New session</NavLink>}
    </nav>
  );
}
