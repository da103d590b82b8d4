import { useEffect, useState } from 'react';
import type { Response } from '../../../preload/contract';
import { gaia } from '../../api';

type UrlCheck = Response<'gaia:profiles.checkUrl'>;

/** Main's verdict on a base URL as the user types it (normalised form, warnings, or what is wrong), a moment after typing stops. */
export function useUrlCheck(baseUrl: string): UrlCheck | null {
  const [result, setResult] = useState<{ for: string; check: UrlCheck } | null>(null);
  useEffect(() => {
    if (baseUrl.trim() === '') return;
    let live = true;
    const timer = setTimeout(() => {
      gaia.profiles.checkUrl({ baseUrl: baseUrl.slice(0, 2048) }).then(
        (check) => live && setResult({ for: baseUrl, check }),
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [baseUrl]);
  return baseUrl.trim() !== '' && result?.for === baseUrl ? result.check : null;
}
