/**
 * What a table row shows (name, numbers, data sources, health and progress, last indexed),
 * written into its cells directly instead of rendered: a search keystroke puts other
 * datasets in the same ~16 rows, and React rendering each row again (and making and
 * dropping its progress bar) was most of the keystroke's script. Each cell keeps its nodes
 * for the row's life, and only what differs is written. The same markup as Health.tsx's
 * badge and bar, which the details pane renders.
 */
import type { DatasetHealth, DatasetSummary } from '../../../preload/contract';
import { HEALTH_LABEL } from './format';
import { rowText } from './rowText';

export interface RowCellElements {
  name: HTMLElement;
  objects: HTMLElement;
  queries: HTMLElement;
  sources: HTMLElement;
  health: HTMLElement;
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

function span(className: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  return el;
}

function setAttr(el: HTMLElement, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
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
  private readonly badge = span('');
  private readonly label = text(this.badge);
  private health: DatasetHealth | null = null;
  private readonly bar = span('ds-progress');
  private readonly fill = this.bar.appendChild(span('ds-progress-fill'));
  private readonly percent = span('ds-progress-text');
  private readonly percentText = text(this.percent);
  private shown: { dataset: DatasetSummary; now: number } | null = null;

  constructor(private readonly cells: RowCellElements) {
    this.name = text(cells.name);
    this.objects = text(cells.objects);
    this.queries = text(cells.queries);
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-valuemin', '0');
    this.bar.setAttribute('aria-valuemax', '100');
  }

  show(d: DatasetSummary, now: number): void {
    if (this.shown?.dataset === d && this.shown.now === now) return;
    this.shown = { dataset: d, now };
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
    this.showHealth(d);
  }

  private showHealth(d: DatasetSummary): void {
    if (this.health !== d.health) {
      this.health = d.health;
      this.badge.className = `ds-health ds-health-${d.health}`;
      setText(this.label, HEALTH_LABEL[d.health]);
    }
    const cell = this.cells.health;
    if (d.progress === null) {
      if (cell.childNodes.length !== 1) cell.replaceChildren(this.badge);
      return;
    }
    const pct = Math.max(0, Math.min(100, Math.round(d.progress)));
    setAttr(this.bar, 'aria-label', `Indexing progress of ${d.name}`);
    setAttr(this.bar, 'aria-valuenow', String(pct));
    setTitle(this.bar, `${pct}%`);
    if (this.fill.style.width !== `${pct}%`) this.fill.style.width = `${pct}%`;
    setText(this.percentText, `${Math.round(d.progress)}%`);
    if (cell.childNodes.length !== 3) cell.replaceChildren(this.badge, this.bar, this.percent);
  }
}
