import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createUserManager } from './auth/auth';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
void loadConfig().then((config) => {
  root.render(
    <StrictMode>
      <App manager={createUserManager(config, window.location.origin)} />
    </StrictMode>,
  );
});
