/**
 * Which field of a connection sheet (add or edit) an error is about: it is shown at that
 * field and goes when that field is edited. An error about no one field (the server's
 * own failure, a certificate to decide on) stays by the sheet's buttons.
 */
import type { AppErrorInfo, ErrorKind } from '../../../preload/contract';

export type FieldName = 'name' | 'baseUrl' | 'apiKey' | 'securityContext' | 'proxyUrl' | 'caPem';
/** The add sheet keeps these under "Advanced": it opens there to show the error. */
export const ADVANCED: readonly FieldName[] = ['securityContext', 'proxyUrl', 'caPem'];

const FIELD_OF_KIND: Partial<Record<ErrorKind, FieldName>> = {
  unauthorized: 'apiKey',
  'bad-key': 'apiKey',
  forbidden: 'apiKey',
  'key-required': 'apiKey',
  'bad-url': 'baseUrl',
  dns: 'baseUrl',
  'connection-refused': 'baseUrl',
  'not-found': 'baseUrl',
  'html-response': 'baseUrl',
  timeout: 'baseUrl',
  proxy: 'proxyUrl',
  'bad-certificate': 'caPem',
};
const FIELDS: ReadonlySet<string> = new Set<FieldName>(['name', 'baseUrl', 'apiKey', 'securityContext', 'proxyUrl', 'caPem']);

export function fieldOf(error: AppErrorInfo): FieldName | null {
  const byKind = FIELD_OF_KIND[error.kind];
  if (byKind) return byKind;
  // A request refused by the contract names the field it found wrong.
  const named = error.fields?.[0]?.field;
  return named && FIELDS.has(named) ? (named as FieldName) : null;
}
