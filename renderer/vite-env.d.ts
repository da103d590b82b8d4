/// <reference types="vite/client" />

/** The product name and version the build was made from (vite.config.ts: define). */
declare const __GAIA_BUILD__: { name: string; version: string };
