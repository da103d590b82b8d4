/**
 * Runs the Gaia simulator for demos and development:
 *   tsx test/gaia-sim/cli.ts [--port 8443] [--host 127.0.0.1] [--datasets demo|enterprise|100000] [--tls chain|self-signed|expired|wrong-host] [--latency 200] [--pace 35]
 * Point the app at the printed base URL, add the printed CA file to the connection,
 * and use the demo key (write) or the read-only key.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';
import type { TlsVariant } from './certs';

const usage = 'npm run sim -- [--port 8443] [--host 127.0.0.1] [--datasets demo|N] [--tls chain|self-signed|expired|wrong-host] [--latency MS] [--pace MS] [--data-dir DIR]';
const fail = (message: string): never => {
  console.error(`npm run sim: ${message}`);
  process.exit(2);
};

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      host: { type: 'string', default: '127.0.0.1' },
      datasets: { type: 'string', default: 'demo' },
      tls: { type: 'string', default: 'chain' },
      latency: { type: 'string', default: '0' },
      // Milliseconds per word of a streamed answer (0: in a few large pieces, at once).
      pace: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
    },
  });
} catch (err) {
  fail(`${(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}. Usage: ${usage}`);
}
const { values } = parsed!;
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port takes a number from 0 to 65535 (0: any free port), not "${values.port}"`);
const latencyMs = Number(values.latency);
if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`--latency takes milliseconds (0 or more), not "${values.latency}"`);

const datasets = values.datasets === 'demo' || values.datasets === 'enterprise' ? values.datasets : Number(values.datasets);
if (typeof datasets === 'number' && (!Number.isInteger(datasets) || datasets < 0)) {
  console.error('--datasets takes "demo", "enterprise" or a whole number');
  process.exit(2);
}
if (!['chain', 'self-signed', 'expired', 'wrong-host'].includes(values.tls)) {
  console.error('--tls takes chain, self-signed, expired or wrong-host');
  process.exit(2);
}

const pace = Number(values.pace);
if (!Number.isFinite(pace) || pace < 0) {
  console.error('--pace takes milliseconds per word (0 or more)');
  process.exit(2);
}

const sim = await startSimulator({
  port,
  host: values.host,
  datasets,
  tls: values.tls as TlsVariant,
  latencyMs,
  faults: pace > 0 ? { streamPace: { msPerWord: pace } } : {},
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
}).catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') fail(`port ${port} on ${values.host} is in use (another simulator running?): stop it, or run \`npm run sim -- --port 0\` for any free port.`);
  throw err;
});

console.log(`Gaia simulator running
  base URL:      ${sim.baseUrl}
  CA file:       ${sim.caFile}
  demo key:      ${sim.demoKey}   (write)
  read-only key: ${sim.readKey}   (read)
  key service:   ${sim.origin}/es/api/v1/credentials/api_keys/
Press Ctrl+C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
