export function keyringPackageFor(platform: string, arch: string): string[];
export default function afterPack(context: { appOutDir: string; electronPlatformName: string; arch: number }): Promise<void>;
