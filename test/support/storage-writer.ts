/**
 * Writes profiles and history in a loop until it is killed, reporting each write on
 * stdout only once it is complete (on Linux, a write to a pipe is synchronous, so a
 * reported line always means the write before it had finished):
 *
 *   conv <profileId> <conversationId>
 *   profile <i>      profiles.json holds the name "run <run> step <i>"
 *   history <i>      the conversation's answer contains "word<i> "
 *
 * Used by test/integration/storage-crash.test.ts, which SIGKILLs it at random points.
 *   node writer.cjs <dataDir> <run>
 */
import { createProfileStore } from '../../main/core/connections/profiles';
import { createHistory } from '../../main/core/ask/history';
import { createDatasetCache } from '../../main/core/datasets/cache';
import type { Turn } from '../../preload/contract';

async function main() {
  const [dataDir, run = '0'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: storage-writer <dataDir> <run>');
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const store = createProfileStore({ dataDir });
  const loaded = await store.load();
  for (const problem of loaded.problems) say(`problem ${JSON.stringify(problem.message)}`);
  const profile = loaded.profiles[0] ?? (await store.create({ name: `run ${run} start`, baseUrl: 'https://gaia.example.com/v2/mcm/gaia' }));

  const history = createHistory({ dataDir, throttleMs: 5 });
  const cache = createDatasetCache({ dataDir });
  const conversation = await history.create(profile.id, { title: `run ${run}`, datasetNames: ['finance'] });
  const turn: Turn = {
    id: `turn-${run}`,
    question: `question of run ${run}`,
    datasetNames: ['finance'],
    llmId: null,
    languageCode: null,
    answer: '',
    status: 'streaming',
    error: null,
    progress: [],
    followUps: [],
    documents: [],
    queryUid: null,
    feedback: null,
    refinedFrom: null,
    askedAt: Date.now(),
    answeredAt: null,
  };
  await history.addTurn(profile.id, conversation.id, turn);
  say(`conv ${profile.id} ${conversation.id}`);

  let answer = '';
  for (let i = 0; ; i++) {
    await store.update(profile.id, { name: `run ${run} step ${i}` });
    say(`profile ${i}`);

    // Streaming chunks (throttled writes), made durable every few chunks by flush().
    answer += `word${i} ${'x'.repeat(i % 7 === 0 ? 2000 : 20)} `;
    await history.updateTurn(profile.id, conversation.id, { ...turn, answer });
    if (i % 2 === 0) {
      await history.flush();
      say(`history ${i}`);
    }
    if (i % 5 === 0) await history.rename(profile.id, conversation.id, `run ${run} renamed ${i}`);
    if (i % 4 === 0) await history.saveComposer(profile.id, { datasetNames: [`ds-${i}`], llmId: null, languageCode: null });
    if (i % 6 === 0) {
      await cache.write(
        profile.id,
        Array.from({ length: 200 }, (_, k) => ({ id: `d${k}`, name: `D ${k}`, description: null, numObjects: k, numQueries: 0, dataSources: [], health: 'healthy' as const, progress: null, lastIndexedAt: null })),
        i,
      );
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
