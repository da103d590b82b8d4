/**
 * Who may call the core over IPC: only our own window's top frame, showing a page from
 * our own app:// origin. Subframes, other windows, and pages that somehow navigated
 * elsewhere are refused. Written against the shapes it reads, so it is tested in Node.
 */
export interface SenderLike {
  sender: unknown;
  senderFrame: { parent: unknown; url: string } | null;
}

export function isTrustedSender(event: SenderLike, expectedContents: unknown, appOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!expectedContents || event.sender !== expectedContents) return false;
  return originOf(frame.url) === appOrigin;
}

/**
 * Node's URL reports the origin of a non-special scheme such as app:// as "null", so
 * the origin is rebuilt from scheme and host.
 */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.host ? `${url.protocol}//${url.host}` : null;
  } catch {
    return null;
  }
}
