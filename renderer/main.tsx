import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api';
import { App } from './App';
import { prefetchShell } from './queries';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

connectApi().then((api) => {
  if (api) prefetchShell();
  root.render(
    <StrictMode>
      {api ? (
        <App />
      ) : (
        <main className="fatal" role="alert">
          <h1>Gaia Desktop cannot reach its core</h1>
          <p>Open the address that <code>npm run preview</code> printed, including the part after <code>#</code>.</p>
        </main>
      )}
    </StrictMode>,
  );
});
