export const NOTARIZE_ENV: string[];
export function notarizeSkipReason(context: { electronPlatformName: string }, env?: NodeJS.ProcessEnv): string | null;
export default function notarize(context: { electronPlatformName: string; appOutDir: string; packager: { appInfo: { productFilename: string } } }): Promise<void>;
