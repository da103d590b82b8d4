/**
 * Choose the datasets a question covers: chosen ones as removable chips, and a combobox
 * that filters the tenant's datasets (fast even for 100 000 names: at most 50 shown).
 * Arrow keys move through the matches, Enter picks (or adds a typed name when nothing
 * matches, and when the list is unavailable), Escape closes, Backspace on an empty box
 * removes the last chip.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { DatasetSummary } from '../../../preload/contract';
import { fold } from '../../ui/fold';

const MAX_SHOWN = 50;


export function DatasetPicker({
  selected,
  onChange,
  datasets,
  note,
}: {
  selected: string[];
  onChange: (names: string[]) => void;
  /** Null while loading or when the list is unavailable (names are typed then). */
  datasets: DatasetSummary[] | null;
  note: string | null;
}) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const labelId = useId();
  const listId = useId();
  const noteId = useId();

  const folded = useMemo(() => (datasets ?? []).map((d) => ({ d, key: fold(d.name) })), [datasets]);
  const { matches, total } = useMemo(() => {
    const q = fold(text.trim());
    const all = q ? folded.filter((f) => f.key.includes(q)) : folded;
    // An exact name first, then names that start with the text, then the rest.
    const ranked = q ? [...all].sort((a, b) => Number(b.key === q) - Number(a.key === q) || Number(b.key.startsWith(q)) - Number(a.key.startsWith(q))) : all;
    return { matches: ranked.slice(0, MAX_SHOWN).map((f) => f.d), total: all.length };
  }, [folded, text]);

  const chosen = new Set(selected);
  const toggle = (name: string) => {
    onChange(chosen.has(name) ? selected.filter((n) => n !== name) : [...selected, name]);
  };
  const add = (name: string) => {
    // Names are Gaia's, spaces and all: a known name is taken as typed; the typing slip
    // of a stray space is forgiven only when that yields a known name.
    const known = (n: string) => (datasets ?? []).some((d) => d.name === n);
    const clean = known(name) || !known(name.trim()) ? name : name.trim();
    if (clean.trim() && !chosen.has(clean)) onChange([...selected, clean]);
    setText('');
  };

  const current = Math.min(active, Math.max(0, matches.length - 1));
  const showList = open && datasets !== null && (matches.length > 0 || text.trim() !== '');

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setOpen(true);
        setActive(Math.min(current + 1, matches.length - 1));
        return;
      case 'ArrowUp':
        event.preventDefault();
        setActive(Math.max(current - 1, 0));
        return;
      case 'Enter': {
        event.preventDefault();
        const typed = text.trim();
        if (showList && matches.length > 0 && (typed === '' || fold(matches[current].name).includes(fold(typed)))) {
          toggle(matches[current].name);
          setText('');
        } else if (typed) {
          add(typed);
        }
        return;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
        }
        return;
      case 'Backspace':
        if (text === '' && selected.length) onChange(selected.slice(0, -1));
        return;
    }
  };

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="dataset-picker" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="field-label">
        Datasets
      </span>
      <div className="dataset-box">
        {selected.length > 0 && (
          <ul className="chips" aria-label="Chosen datasets">
            {selected.map((name) => (
              <li key={name} className="chip">
                <span>{name}</span>
                <button type="button" className="chip-remove" aria-label={`Remove ${name}`} title={`Remove ${name}`} onClick={() => toggle(name)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          type="text"
          role="combobox"
          aria-label="Add a dataset"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && matches.length ? optionId(current) : undefined}
          aria-describedby={note ? noteId : undefined}
          placeholder={selected.length ? 'Add another dataset…' : datasets === null ? 'Type a dataset name and press Enter' : 'Choose datasets…'}
          value={text}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
      </div>
      {showList && (
        <ul id={listId} role="listbox" aria-label="Datasets" aria-multiselectable="true" className="dataset-options">
          {matches.map((d, i) => (
            <li
              key={d.id || d.name}
              id={optionId(i)}
              role="option"
              aria-selected={chosen.has(d.name)}
              className={i === current ? 'active' : undefined}
              // Keep the focus in the box, so the list stays open for more picks.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                toggle(d.name);
                setActive(i);
              }}
            >
              <span className="check" aria-hidden="true">
                {chosen.has(d.name) ? '✓' : ''}
              </span>
              <span className="option-name">{d.name}</span>
              {d.health !== 'healthy' && (
                <span className={`health health-${d.health}`}>{d.health === 'indexing' && d.progress !== null ? `indexing ${Math.round(d.progress)}%` : d.health}</span>
              )}
            </li>
          ))}
          {total > matches.length && (
            <li role="presentation" className="muted small more">
              {total - matches.length} more — keep typing to narrow down
            </li>
          )}
          {matches.length === 0 && text.trim() !== '' && (
            <li role="presentation" className="muted small more">
              No dataset is called that. Press Enter to add “{text.trim()}” anyway.
            </li>
          )}
        </ul>
      )}
      {note && (
        <p id={noteId} className="muted small picker-note">
          {note}
        </p>
      )}
    </div>
  );
}
