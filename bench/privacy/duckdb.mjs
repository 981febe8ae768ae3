// Runs the benchmark's transformation in DuckDB, the peer of issue 4:
// node duckdb.mjs csv|parquet|scrub raw.csv out.file
// Prints the query's time in milliseconds and the peak RSS in KiB. DuckDB has sha256 but no HMAC,
// so its digest is the weaker unkeyed one; its scrub is two RE2 patterns.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [mode, input, output] = process.argv.slice(2);
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const notes = mode === 'scrub'
  ? `regexp_replace(regexp_replace(notes,
       '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '[EMAIL]', 'g'),
       '\\+?[0-9][0-9 ]{7,}[0-9]', '[PHONE]', 'g')`
  : `'[REDACTED]'`;
const to = mode === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(HEADER)';
const sql = `COPY (
  SELECT round(lat, 2) AS lat, round(lon, 2) AS lon, timestamp, activity,
         sha256(device_id) AS device_id, ${notes} AS notes
  FROM read_csv(${q(input)})
) TO ${q(output)} ${to}`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const t0 = performance.now();
await con.run(sql);
const ms = performance.now() - t0;
// peak resident memory of this process (see peakRSSKiB in main.go)
const hwm = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1];
console.log(ms.toFixed(3), hwm);
