// Opens the embedded database of DATA_DIR (argv[2]), says `holding`, and waits to be killed: a process that
// started the server and then died without closing it (test/integration/embedded-postgres.test.ts).
import { openDatabase } from '../../src/platform/db/database';

await openDatabase({ DATA_DIR: process.argv[2]!, DATABASE_URL: undefined });
console.log('holding');
setInterval(() => {}, 60_000);
