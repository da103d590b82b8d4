import { useNavigation } from '../../navigation';
import { EmptyState } from '../../ui/EmptyState';

export function DatasetsPage() {
  const { go } = useNavigation();
  return (
    <>
      <h1>Datasets</h1>
      <EmptyState
        title="Nothing here yet"
        action={
          <button type="button" onClick={() => go('connections')}>
            Go to Connections
          </button>
        }
      >
        <p>Connect to Gaia to see the datasets you can ask.</p>
      </EmptyState>
    </>
  );
}
