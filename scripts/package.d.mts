export function testBuildOverrides(): Record<string, unknown>;
export function configOverrides(options?: { testBuild?: boolean; electronDist?: string; output?: string }): Record<string, unknown>;
