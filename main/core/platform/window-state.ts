/** Remembers where the window was, so it opens there again (if that place is still on a screen). */
import path from 'node:path';
import { z } from 'zod';
import { JsonFile } from './storage/json-file';

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export const defaultWindowState = (): WindowState => ({ width: 1200, height: 800, maximized: false });

export const windowStateFile = (dataDir: string) => new JsonFile(path.join(dataDir, 'window-state.json'), WindowState, 1, defaultWindowState);

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Drops a saved position that no display shows any more (a monitor was unplugged). */
export function onSomeDisplay(state: WindowState, displays: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50);
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}
