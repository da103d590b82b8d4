import { EmptyState } from '../../ui/EmptyState';

export function ConnectionsPage() {
  return (
    <>
      <h1>Connections</h1>
      <EmptyState title="Connect to Gaia first">
        <p>
          Add a connection with your Gaia base URL (for Helios: <code>https://helios.cohesity.com/v2/mcm/gaia</code>) and an API key from
          Helios → Settings → Access Management → API Keys. The key is checked before anything is saved, and kept in your system's keychain.
        </p>
      </EmptyState>
    </>
  );
}
