export type WindowsSigningMode = { mode: 'command'; command: string } | { mode: 'certificate'; pfx: string; password: string } | { mode: 'none'; why: string };
export function windowsSigningMode(env?: NodeJS.ProcessEnv): WindowsSigningMode;
export default function sign(configuration: { path: string; name?: string; cscInfo?: { file?: string; password?: string } | null }): Promise<void>;
