import { useNavigation } from '../../navigation';
import { EmptyState } from '../../ui/EmptyState';

export function KeysPage() {
  const { go } = useNavigation();
  return (
    <>
      <h1>Keys</h1>
      <EmptyState
        title="Nothing here yet"
        action={
          <button type="button" onClick={() => go('connections')}>
            Go to Connections
          </button>
        }
      >
        <p>Connect to Gaia to manage your API keys.</p>
      </EmptyState>
    </>
  );
}
