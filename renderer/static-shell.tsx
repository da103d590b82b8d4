/**
 * The shell's static copy, rendered at build time into index.html (vite.config.ts:
 * staticShell), so the first frame already shows the rail and its Version label while the
 * app's scripts load. The same components as the live shell (ui/Rail.tsx), with what the
 * build knows: no page marked, no connection, the Version label without where it runs.
 * Inside an `inert` wrapper: nothing in it can be clicked, focused or read by assistive
 * technology, so nobody acts on a copy that does nothing; React's first render replaces it.
 * aria-hidden too, for tools that read the DOM and not the accessibility tree (Playwright's
 * getByRole does not treat inert content as hidden; aria-hidden it does).
 */
import { Tooltip } from 'radix-ui';
import { renderToStaticMarkup } from 'react-dom/server';
import { Rail, ShellFrame } from './ui/Rail';

/** The class of the wrapper, which also keeps it out of the layout (styles.css). */
export const STATIC_SHELL_CLASS = 'static-shell';

export function staticShellMarkup(app: { name: string; version: string }): string {
  return renderToStaticMarkup(
    <div className={STATIC_SHELL_CLASS} inert aria-hidden="true">
      <Tooltip.Provider>
        <ShellFrame rail={<Rail current={null} version={{ ...app, where: '' }} />} />
      </Tooltip.Provider>
    </div>,
  );
}
