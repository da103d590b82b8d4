/**
 * Whether the conversation list shows. Below 1000 px the page is one column: the list
 * opens over the transcript and closes after a pick. Wider, it stays beside it unless
 * hidden; that choice is kept for the session.
 */
import { useEffect, useState } from 'react';

const NARROW = '(max-width: 999px)';
let hiddenWhenWide = false;

export function useListShown(): [shown: boolean, setShown: (shown: boolean) => void, narrow: boolean] {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  const [shownNarrow, setShownNarrow] = useState(false);
  const [shownWide, setShownWide] = useState(!hiddenWhenWide);
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
      hiddenWhenWide = !shown;
      setShownWide(shown);
    }
  };
  return [narrow ? shownNarrow : shownWide, setShown, narrow];
}
