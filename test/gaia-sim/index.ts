export { startSimulator, BASE_PATH, KEY_SERVICE_PATH } from './server';
export type { SimOptions, Simulator, LoggedRequest, FeedbackRecord, ConversationTurn } from './server';
export type { FaultSettings } from './faults';
export type { TlsVariant } from './certs';
