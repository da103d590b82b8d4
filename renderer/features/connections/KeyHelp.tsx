/** "How do I get a key?" — the steps from Gaia's authentication guide, for Helios and for a cluster. */
export function KeyHelp() {
  return (
    <details className="key-help">
      <summary>How do I get a key?</summary>
      <div className="key-help-body">
        <h3>On Helios</h3>
        <ol>
          <li>
            Sign in at <code>helios.cohesity.com</code>.
          </li>
          <li>Open Settings → Access Management → API Keys.</li>
          <li>Choose Generate API Key and give it a descriptive name (for example “Gaia Desktop on my laptop”).</li>
          <li>Copy the key at once: Helios shows it only once. Paste it here.</li>
        </ol>
        <h3>On a cluster directly</h3>
        <ol>
          <li>The API Keys page is hidden by default. As an administrator, sign in to the cluster’s own web interface (not through Helios).</li>
          <li>
            Open <code>https://&lt;cluster&gt;/feature-flags</code>, search for “api” and turn on <code>apiKeysEnabled</code> (for this browser
            session; Cohesity support can turn it on for good).
          </li>
          <li>Open Settings → Access Management → API Keys → Add API Key, choose the user, name the key and choose Add.</li>
          <li>Copy or download the key (it is shown only once) and paste it here.</li>
        </ol>
        <p>
          The key’s role must include Gaia access — GAIA_VIEW to ask questions, GAIA_MODIFY to make changes such as managing keys — or every request
          is refused (403).
        </p>
      </div>
    </details>
  );
}
