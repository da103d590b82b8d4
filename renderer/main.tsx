// First, so the shell's first calls are on their way before the rest evaluates (boot.ts).
import { connected, shellCalls } from './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchShell } from './queries';
import './styles.css';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      {connected ? (
        <App />
      ) : (
        <main className="fatal" role="alert">
          <h1>Gaia Desktop cannot reach its core</h1>
          <p>Open the address that <code>npm run demo</code> or <code>npm run preview</code> printed, including the part after <code>#</code>.</p>
        </main>
      )}
    </StrictMode>,
  );

// The first render waits for the shell's first answers, so that one render and one frame
// draw the rail with its Version label and the page left open: they usually arrive while
// this chunk evaluates. When they are slower (a busy core), the rail is drawn alone as soon
// as this page has nothing else to do, and the answers fill it in.
if (shellCalls) {
  let idle: number | null = null;
  const once = () => {
    if (idle === null) return;
    cancelIdleCallback(idle);
    idle = null;
    render();
  };
  idle = requestIdleCallback(once);
  void prefetchShell(shellCalls).then(once);
} else render();
