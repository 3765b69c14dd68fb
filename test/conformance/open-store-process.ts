// Opens a store in its own process (options as JSON in argv[2]) and prints the migrations it applied, as JSON.
// It first prints `ready` and waits for a line on stdin, so a test can release several processes at one moment
// and check that concurrent first starts migrate exactly once.
import { once } from 'node:events';
import { openStore, type StoreOptions } from '../../src/store/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as StoreOptions;
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const { store, migrations } = await openStore(options);
await store.close();
process.stdout.write(`${JSON.stringify({ applied: migrations.applied })}\n`);
process.stdin.destroy();
