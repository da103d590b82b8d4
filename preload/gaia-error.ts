/**
 * The renderer-side error: thrown by the unwrapped API, carries the typed info. Its own
 * file so the renderer can catch it without loading the contract's schemas.
 */
import type { AppErrorInfo } from './contract';

export class GaiaError extends Error {
  readonly info: AppErrorInfo;
  constructor(info: AppErrorInfo) {
    super(info.message);
    this.name = 'GaiaError';
    this.info = info;
  }
}
