// The names the bridge and the renderer use without the contract's schemas (preload/names.ts)
// are exactly the contract's: the compiler checks the sets, this checks order and repeats.
import { describe, expect, it } from 'vitest';
import { channels, events, PageName } from '../../preload/contract';
import { CHANNEL_NAMES, EVENT_NAMES, PAGE_NAMES } from '../../preload/names';

describe('preload/names', () => {
  it('lists every channel and event of the contract once, in its order', () => {
    expect([...CHANNEL_NAMES]).toEqual(Object.keys(channels));
    expect([...EVENT_NAMES]).toEqual(Object.keys(events));
  });

  it('lists the pages the contract accepts', () => {
    expect([...PAGE_NAMES]).toEqual(PageName.options);
  });
});
