export function findElectron(): { path: string } | { why: string };
