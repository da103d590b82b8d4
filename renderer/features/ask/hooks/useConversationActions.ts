/**
 * Rename, export and delete, for the open conversation (its "⋯" menu) or any in the
 * list (its context menu). Delete asks first; what happened to Gaia's copy is said after.
 */
import { useCallback, useState } from 'react';
import type { AppErrorInfo } from '../../../../preload/contract';
import { gaia } from '../../../api';
import { toProblem } from '../../../ui/errors';

export interface Target {
  id: string;
  title: string;
}

function download(markdown: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useConversationActions({
  onRenamed,
  onDeleted,
}: {
  onRenamed(id: string, title: string): void;
  onDeleted(id: string): void;
}) {
  const [confirmDelete, setConfirmDelete] = useState<Target | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const rename = useCallback(
    async (id: string, title: string): Promise<boolean> => {
      setError(null);
      try {
        const summary = await gaia.history.rename({ id, title });
        onRenamed(summary.id, summary.title);
        return true;
      } catch (err) {
        setError(toProblem(err));
        return false;
      }
    },
    [onRenamed],
  );

  const exportMarkdown = useCallback(async (id: string) => {
    setError(null);
    try {
      const { markdown, fileName } = await gaia.history.export({ id });
      download(markdown, fileName);
    } catch (err) {
      setError(toProblem(err));
    }
  }, []);

  const remove = useCallback(async () => {
    const target = confirmDelete;
    if (!target) return;
    setConfirmDelete(null);
    setError(null);
    try {
      const result = await gaia.history.delete({ id: target.id });
      setNotice(result.message);
      onDeleted(target.id);
    } catch (err) {
      setError(toProblem(err));
    }
  }, [confirmDelete, onDeleted]);

  return { rename, exportMarkdown, askDelete: setConfirmDelete, confirmDelete, remove, error, clearError: () => setError(null), notice, setNotice };
}
