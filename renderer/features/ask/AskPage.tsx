import { useNavigation } from '../../navigation';
import { EmptyState } from '../../ui/EmptyState';

export function AskPage() {
  const { go } = useNavigation();
  return (
    <>
      <h1>Ask</h1>
      <EmptyState
        title="Nothing here yet"
        action={
          <button type="button" onClick={() => go('connections')}>
            Go to Connections
          </button>
        }
      >
        <p>Connect to Gaia, pick datasets and ask a question.</p>
      </EmptyState>
    </>
  );
}
