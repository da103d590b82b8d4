/**
 * A new conversation's empty state: what Ask does, and questions Gaia suggests for the
 * chosen datasets (from their topics). A suggested question is asked at once.
 */
import { Lightbulb } from 'lucide-react';
import type { DatasetSummary } from '../../../preload/contract';
import { useTopicsOf } from '../../queries';
import { useSession } from '../../session';

const MAX_SUGGESTIONS = 4;

function useSuggestions(datasetNames: string[], datasets: DatasetSummary[] | null): string[] | null {
  const profileId = useSession().active?.id ?? null;
  const ids = (datasets ?? [])
    .filter((d) => datasetNames.includes(d.name) && d.id)
    .slice(0, 2)
    .map((d) => d.id);
  const results = useTopicsOf(profileId, ids);
  // A dataset whose topics cannot be read adds none; the others still suggest theirs.
  if (!ids.length || results.some((r) => r.isPending)) return null;
  const questions: string[] = [];
  for (const r of results) for (const topic of r.data?.topics ?? []) for (const q of topic.suggestedQuestions) if (!questions.includes(q) && questions.length < MAX_SUGGESTIONS) questions.push(q);
  return questions;
}

export function Welcome({
  datasetNames,
  datasets,
  disabled,
  onAsk,
}: {
  datasetNames: string[];
  datasets: DatasetSummary[] | null;
  disabled: boolean;
  onAsk(question: string): void;
}) {
  const suggestions = useSuggestions(datasetNames, datasets);
  return (
    <div className="ask-welcome">
      <h2>Ask your data</h2>
      <p className="muted">
        {datasetNames.length
          ? `Ask in your own words about ${datasetNames.length === 1 ? datasetNames[0] : `${datasetNames.length} datasets`}. Each answer cites the documents it came from.`
          : 'Choose the datasets to search below, then ask in your own words. Each answer cites the documents it came from.'}
      </p>
      {suggestions && suggestions.length > 0 && (
        <ul className="suggestions" aria-label="Suggested questions">
          {suggestions.map((q) => (
            <li key={q}>
              <button type="button" className="suggestion" disabled={disabled} onClick={() => onAsk(q)}>
                <Lightbulb size={16} aria-hidden="true" />
                <span>{q}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
