/** The history list of the active profile: full-text search (in main), newest first. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ConversationSummary, Response } from '../../../../preload/contract';
import { gaia } from '../../../api';
import { toProblem } from '../../../ui/errors';

export type Problems = Response<'gaia:history.list'>['problems'];

export interface ConversationListState {
  query: string;
  setQuery(query: string): void;
  conversations: ConversationSummary[] | null;
  problems: Problems;
  loading: boolean;
  /** Reads the list again, for the query being shown. */
  refresh(): void;
}

export function useConversationList(): ConversationListState {
  const [query, setQuery] = useState('');
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null);
  const [problems, setProblems] = useState<Problems>([]);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async (q: string) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await gaia.history.list(q.trim() ? { query: q.trim() } : {});
      if (mine !== generation.current) return;
      setConversations(result.conversations);
      setProblems(result.problems);
    } catch (err) {
      if (mine !== generation.current) return;
      setProblems([{ file: 'history', movedTo: null, message: toProblem(err).message }]);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  const queryRef = useRef(query);
  useLayoutEffect(() => {
    queryRef.current = query;
  }, [query]);

  useEffect(() => {
    const timer = window.setTimeout(() => void load(query), query ? 200 : 0);
    return () => window.clearTimeout(timer);
  }, [query, load]);

  const refresh = useCallback(() => void load(queryRef.current), [load]);
  return { query, setQuery, conversations, problems, loading, refresh };
}
