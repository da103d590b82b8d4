/**
 * Stands in for `react-style-singleton` (vite.config.ts aliases it here). Radix's dialogs
 * and menus lock page scroll through react-remove-scroll, whose scroll bar part inserts a
 * `<style>` element with inline CSS: the strict CSP (style-src 'self') refuses it, and every
 * dialog opened logged a violation. The rule it carries is in styles.css instead — the shell
 * never scrolls the body, so there is no scroll bar gap to measure and nothing dynamic.
 * The scroll lock itself (the wheel and touch listeners outside the dialog) is script and
 * stays as it is; so do the body's data-scroll-locked attribute and focus handling.
 *
 * The package's three exports, doing nothing: react-remove-scroll calls only
 * `styleSingleton` (its "inert" mode, unused by Radix, would need the other styles).
 */
type Sheet = (props: { styles: string; dynamic?: boolean }) => null;

export const styleSingleton = (): Sheet => () => null;

export const styleHookSingleton =
  () =>
  (_styles: string, _isDynamic?: boolean): void =>
    undefined;

export const stylesheetSingleton = () => ({ add: (_style: string): void => undefined, remove: (): void => undefined });
