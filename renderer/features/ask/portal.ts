import { createContext, useContext } from 'react';

/**
 * Where the page's menus and hover cards render: inside the page (so inside the main
 * landmark, for screen readers and axe), not at the end of <body>.
 */
export const PortalContext = createContext<HTMLElement | null>(null);

export const usePortal = (): HTMLElement | undefined => useContext(PortalContext) ?? undefined;
