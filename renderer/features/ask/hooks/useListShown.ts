/**
 * Whether the conversation list shows. Below 1000 px the page is one column: the list
 * opens over the transcript and closes after a pick. Wider, it stays beside it unless
 * hidden; that choice is kept across restarts, as desktop apps keep their sidebars.
 */
import { useEffect, useState } from 'react';

const NARROW = '(max-width: 999px)';
const HIDDEN_KEY = 'gaia.ask.conversations-hidden';

function readHidden(): boolean {
  try {
    return localStorage.getItem(HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

function writeHidden(hidden: boolean): void {
  try {
    localStorage.setItem(HIDDEN_KEY, hidden ? '1' : '0');
  } catch {
    // Storage refused (full, or disabled): the choice lasts for this window only.
  }
}

export function useListShown(): [shown: boolean, setShown: (shown: boolean) => void, narrow: boolean] {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  const [shownNarrow, setShownNarrow] = useState(false);
  const [shownWide, setShownWide] = useState(() => !readHidden());
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const onChange = () => {
      setNarrow(query.matches);
      setShownNarrow(false);
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  const setShown = (shown: boolean) => {
    if (narrow) setShownNarrow(shown);
    else {
      writeHidden(!shown);
      setShownWide(shown);
    }
  };
  return [narrow ? shownNarrow : shownWide, setShown, narrow];
}
