/** How the Keys page names keys and permissions: by their last four characters, never more. */
import type { Response } from '../../../preload/contract';

export type ServiceKey = Response<'gaia:keys.list'>['keys'][number];
export type Permission = 'read' | 'write';

export const masked = (last4: string) => (last4 ? `•••• •••• ${last4}` : '••••••••');
export const endingLabel = (last4: string) => (last4 ? `ending ${last4}` : 'too short to show');

export const PERMISSION_LABELS: Record<string, string> = { read: 'Read only', write: 'Read and write' };
