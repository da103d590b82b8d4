import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetDetails, DatasetSummary, Llm, SourceDocument, Topic, TopicSummary } from '../../preload/contract';
import { datasetHealth, healthWord, progressPercent } from '../../main/core/gaia/health';
import { toDatasetDetails, toDatasetList, toDocuments, toLlms, toTopics, toTopicSummary, usecsToMs } from '../../main/core/gaia/convert';
import { createLog } from '../../main/core/platform/log';

const log = createLog({ dir: null });

describe('dataset health', () => {
  it('reads the many spellings of a run’s health', () => {
    expect(healthWord('kHealthy')).toBe('healthy');
    expect(healthWord('SUCCEEDED')).toBe('healthy');
    expect(healthWord('kRunning')).toBe('indexing');
    expect(healthWord('In_Progress')).toBe('indexing');
    expect(healthWord('kWarning')).toBe('warning');
    expect(healthWord('partially-succeeded')).toBe('warning');
    expect(healthWord('kFailed')).toBe('failed');
    expect(healthWord({ status: 'Error' })).toBe('failed');
    expect(healthWord('kMysterious')).toBeNull();
  });

  it('reads progress as a percent, a fraction or a count', () => {
    expect(progressPercent(42)).toBe(42);
    expect(progressPercent(0.25)).toBe(25);
    expect(progressPercent('70%')).toBe(70);
    expect(progressPercent({ percentage: 12.34 })).toBe(12.3);
    expect(progressPercent({ completed: 3, total: 4 })).toBe(75);
    expect(progressPercent(250)).toBe(100);
    expect(progressPercent('soon')).toBeNull();
  });

  it('says indexing for a run without an end, and unknown rather than guessing healthy', () => {
    expect(datasetHealth({ health: 'kRunning', progress: 40 })).toEqual({ health: 'indexing', progress: 40 });
    expect(datasetHealth({ startTimeUsecs: 1, endTimeUsecs: null })).toEqual({ health: 'indexing', progress: null });
    expect(datasetHealth({ health: 'kHealthy', progress: 100 })).toEqual({ health: 'healthy', progress: null });
    expect(datasetHealth({ startTimeUsecs: 1, endTimeUsecs: 2 })).toEqual({ health: 'unknown', progress: null });
    expect(datasetHealth(null)).toEqual({ health: 'unknown', progress: null });
    expect(datasetHealth({ datasetStatus: 'Failed' })).toEqual({ health: 'failed', progress: null });
  });

  it('says indexing, with its progress, for a run with no end and progress below 100, whatever its health field says', () => {
    expect(datasetHealth({ health: 'kHealthy', startTimeUsecs: 1, endTimeUsecs: null, progress: 37 })).toEqual({ health: 'indexing', progress: 37 });
    expect(datasetHealth({ health: 'Healthy', startTimeUsecs: 1, progress: 0 })).toEqual({ health: 'indexing', progress: 0 });
    // A finished run, or one at 100, is what its health says.
    expect(datasetHealth({ health: 'kHealthy', startTimeUsecs: 1, endTimeUsecs: 2, progress: 37 })).toEqual({ health: 'healthy', progress: null });
    expect(datasetHealth({ health: 'kHealthy', startTimeUsecs: 1, progress: 100 })).toEqual({ health: 'healthy', progress: null });
  });

  it('keeps dataset names exactly as Gaia sends them: runs of spaces, leading and trailing ones', () => {
    const [d] = toDatasetList([{ name: '  Legal   Hold  2024 ', id: 'ab', lastIndexingRun: { startTimeUsecs: 5, health: 'kHealthy', progress: 12 } }], log);
    expect(d.name).toBe('  Legal   Hold  2024 ');
    expect(d).toMatchObject({ health: 'indexing', progress: 12 });
  });
});

describe('wire → contract', () => {
  it('converts microseconds to milliseconds once', () => {
    expect(usecsToMs(1_700_000_000_123_456)).toBe(1_700_000_000_123);
    expect(usecsToMs(0)).toBeNull();
    expect(usecsToMs(null)).toBeNull();
  });

  it('tolerates unknown fields, odd types and digit strings; skips items without a name', () => {
    const list = toDatasetList(
      [
        { name: 'A', id: 7, numObjects: '12', lastIndexingRun: { endTimeUsecs: '1700000000000000', health: 'kHealthy' }, somethingNew: { x: 1 }, dataSources: ['nas', { name: 'M365' }, 5] },
        { name: 'B', numObjects: 'many', description: 42, indexingWindow: 'weird' },
        { id: 'no-name' },
        'garbage',
      ],
      log,
    );
    expect(list.map((d) => d.name)).toEqual(['A', 'B']);
    z.array(DatasetSummary).parse(list);
    expect(list[0]).toMatchObject({ id: '7', numObjects: 12, lastIndexedAt: 1_700_000_000_000, health: 'healthy', dataSources: ['nas', 'M365', '5'] });
    expect(list[1]).toMatchObject({ id: 'B', numObjects: 0, description: null, health: 'unknown', lastIndexedAt: null });
  });

  it("clips strings to the contract's limits so the bridge never refuses an answer", () => {
    const [d] = toDatasetList([{ name: 'n'.repeat(5000), description: 'd'.repeat(20_000) }], log);
    expect(() => DatasetSummary.parse(d)).not.toThrow();
    expect(d.name.endsWith('…')).toBe(true);
    const [doc] = toDocuments([{ documentId: 'x', name: 'doc', citations: [{ textSnippet: 's'.repeat(200_000) }] }]);
    expect(() => SourceDocument.parse(doc)).not.toThrow();
  });

  it('converts details whether the dataset is nested or at the top level', () => {
    const nested = toDatasetDetails({ dataset: { name: 'X', id: 'abc', lastIndexingRun: { health: 'kFailed', startTimeUsecs: 1e15, endTimeUsecs: 2e15, stats: { errors: 3 } } } }, 'X');
    const flat = toDatasetDetails({ name: 'X', id: 'abc', baasSnapshots: [{ objectInfo: { name: 'vm-1', environment: 'kVMware' }, snapshotInfo: { runStartTimeUsecs: 3e15 } }] }, 'X');
    DatasetDetails.parse(nested);
    DatasetDetails.parse(flat);
    expect(nested.dataset.health).toBe('failed');
    expect(nested.lastRun).toMatchObject({ start: 1e12, end: 2e12, stats: { errors: 3 } });
    expect(flat.protectedObjects).toEqual([{ name: 'vm-1', environment: 'kVMware', snapshotAt: 3e12 }]);
    expect(toDatasetDetails({}, 'Only Name').dataset.name).toBe('Only Name');
  });

  it('converts topics, summaries and models from their documented and tolerated shapes', () => {
    const topics = toTopics([
      { uuid: 'u1', name: 'Contracts', percentage: 40, subThemes: [{ name: 'Termination' }], suggestedQuestions: ['When?', { question: 'Who?' }] },
      { id: 'u2', title: 'Untitled name' },
      { nothing: true },
    ]);
    z.array(Topic).parse(topics);
    expect(topics).toHaveLength(2);
    expect(topics[0]).toMatchObject({ subThemes: ['Termination'], suggestedQuestions: ['When?', 'Who?'] });
    TopicSummary.parse(toTopicSummary({ summary: 'About contracts', suggestedQuestions: [{ text: 'Q?' }] }));
    expect(toTopicSummary({ summary: 'About contracts' }).description).toBe('About contracts');
    const llms = toLlms([{ id: 'a', name: 'A', isDefault: 'true' }, { name: 'only-name' }, {}]);
    z.array(Llm).parse(llms);
    expect(llms).toEqual([
      { id: 'a', name: 'A', type: null, isDefault: true, isDisabled: false },
      { id: 'only-name', name: 'only-name', type: null, isDefault: false, isDisabled: false },
    ]);
  });

  it("maps Gaia's documents to sources with citations and snapshot times", () => {
    const [doc] = toDocuments([
      {
        documentId: 'd1',
        absolutePath: '/share/finance/q2.pdf',
        type: 'pdf',
        datasetId: 'ds1',
        citations: [{ cosineScore: 0.83, textSnippet: 'Revenue grew' }],
        objectInfo: { name: 'fileserver', environment: 'kGenericNas', clusterIdentifier: { clusterId: 1, clusterIncarnationId: 2 } },
        baasSnapshot: { snapshotInfo: { runStartTimeUsecs: 1_700_000_000_000_000 } },
      },
    ]);
    expect(doc).toEqual({
      documentId: 'd1',
      name: 'q2.pdf',
      path: '/share/finance/q2.pdf',
      type: 'pdf',
      datasetId: 'ds1',
      datasetName: null,
      objectName: 'fileserver',
      environment: 'kGenericNas',
      cluster: '1:2',
      snapshotAt: 1_700_000_000_000,
      citations: [{ score: 0.83, snippet: 'Revenue grew' }],
    });
  });
});
