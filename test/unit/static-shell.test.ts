/**
 * index.html's static copy of the shell (renderer/static-shell.tsx), as the build renders
 * it: the live rail's markup, with nothing anyone could act on before React is up.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_NAMES } from '../../preload/names';
import { STATIC_SHELL_CLASS, staticShellMarkup } from '../../renderer/static-shell';
import { PAGE_LABELS } from '../../renderer/ui/pages';

describe('the static shell', () => {
  const html = staticShellMarkup({ name: 'Gaia Desktop', version: '9.8.7' });

  it('is one inert, aria-hidden wrapper around the whole copy', () => {
    expect(html).toMatch(new RegExp(`^<div class="${STATIC_SHELL_CLASS}" inert="" aria-hidden="true">.*</div>$`));
    expect(html.match(/<div class="static-shell"/g)).toHaveLength(1);
  });

  it('holds the rail: every page in order, none marked current, the palette button, an empty main area', () => {
    expect(html.match(/<nav class="rail" aria-label="Main">/g)).toHaveLength(1);
    const labels = [...html.matchAll(/<span class="nav-label">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(labels).toEqual(PAGE_NAMES.map((p) => PAGE_LABELS[p]));
    expect(html).not.toContain('aria-current');
    expect(html).toContain('<span class="palette-label">Commands</span>');
    expect(html).toMatch(/<main class="content" id="main" tabindex="-1"><\/main>/);
  });

  it('shows the Version label with the name and version it was given, and nothing about where it runs', () => {
    expect(html).toContain('<p class="version" aria-label="Version">Gaia Desktop 9.8.7<span class="version-sep"> · </span><span class="version-where"></span></p>');
  });

  it('draws no connection (the session is known only at run time)', () => {
    expect(html).not.toContain('active-profile');
  });
});
