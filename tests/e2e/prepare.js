// Builds the sites the browser tests use (run by `npm test` before the tests).
import fs from 'node:fs';

import { OUTPUT, buildSite } from './lib/sites.js';

fs.mkdirSync(OUTPUT, { recursive: true });
// The English site is the en/ folder of the Swedish build.
for (const name of ['sv', 'hostile']) {
  const started = Date.now();
  buildSite(name);
  console.log(`built the ${name} site in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
