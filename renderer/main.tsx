// First, so the shell's first calls are on their way before the rest evaluates (boot.ts).
import { connected, shellCalls } from './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchShell } from './queries';
import './styles.css';

if (shellCalls) prefetchShell(shellCalls);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {connected ? (
      <App />
    ) : (
      <main className="fatal" role="alert">
        <h1>Gaia Desktop cannot reach its core</h1>
        <p>Open the address that <code>npm run preview</code> printed, including the part after <code>#</code>.</p>
      </main>
    )}
  </StrictMode>,
);
