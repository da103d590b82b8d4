/**
 * The words of a table row (name, numbers, data sources, last indexed), written into its
 * cells directly instead of rendered: a search keystroke puts other datasets in the same
 * ~20 rows, and React rendering each row's cells again was most of the keystroke's
 * script. Each cell keeps its nodes for the row's life, and only what differs is written.
 */
import type { DatasetSummary } from '../../../preload/contract';
import { rowText } from './rowText';

export interface RowCellElements {
  name: HTMLElement;
  objects: HTMLElement;
  queries: HTMLElement;
  sources: HTMLElement;
  time: HTMLElement;
}

const text = (parent: HTMLElement): Text => parent.appendChild(document.createTextNode(''));

/** A muted word standing for "none" (as `<span class="ds-muted">`). */
function muted(word: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'ds-muted';
  span.textContent = word;
  return span;
}

function setText(node: Text, value: string): void {
  if (node.data !== value) node.data = value;
}

function setTitle(el: HTMLElement, value: string | undefined): void {
  if (value === undefined) el.removeAttribute('title');
  else if (el.title !== value) el.title = value;
}

/** Shows `child` as the cell's one child (a word or its muted "none"). */
function showOnly(cell: HTMLElement, child: Node): void {
  if (cell.firstChild !== child || cell.childNodes.length !== 1) cell.replaceChildren(child);
}

export class RowCells {
  private readonly name: Text;
  private readonly objects: Text;
  private readonly queries: Text;
  private readonly sources = document.createTextNode('');
  private readonly noSources = muted('—');
  private readonly time = document.createElement('time');
  private readonly relative = text(this.time);
  private readonly never = muted('Never');

  constructor(private readonly cells: RowCellElements) {
    this.name = text(cells.name);
    this.objects = text(cells.objects);
    this.queries = text(cells.queries);
  }

  show(d: DatasetSummary, now: number): void {
    const t = rowText(d, now);
    const { cells } = this;
    setText(this.name, d.name);
    setTitle(cells.name, t.nameTitle);
    setText(this.objects, t.objects);
    setText(this.queries, t.queries);
    if (t.sources) {
      setText(this.sources, t.sources);
      showOnly(cells.sources, this.sources);
    } else {
      showOnly(cells.sources, this.noSources);
    }
    setTitle(cells.sources, t.sources || undefined);
    if (t.indexed) {
      if (this.time.dateTime !== t.indexed.iso) this.time.dateTime = t.indexed.iso;
      setTitle(this.time, t.indexed.exact);
      setText(this.relative, t.indexed.relative);
      showOnly(cells.time, this.time);
    } else {
      showOnly(cells.time, this.never);
    }
  }
}
