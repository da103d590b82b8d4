/** The floor for the bundle size: React 19 rendering a navigation, nothing else. */
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(
  <nav aria-label="Main">
    <p aria-label="Version">Gaia</p>
  </nav>,
);
