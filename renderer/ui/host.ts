/** A Gaia address as people name the server: its host[:port]; the text as typed where it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
