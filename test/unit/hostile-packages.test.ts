import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageFile } from '../../src/packages/index.js';
import { generateHostileCorpus } from '../support/hostile-corpus.js';
import type { HostileItem } from '../support/hostile-corpus.js';

let dir: string;
let corpus: HostileItem[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-hostile-'));
  corpus = await generateHostileCorpus(dir);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hostile packages', () => {
  it('the corpus covers every attack class', () => {
    const names = corpus.map((c) => c.name);
    for (const n of ['zip-bomb', 'traversal', 'absolute', 'symlink', 'many-entries', 'billion-laughs', 'deep-nesting', 'wrong-types', 'truncated', 'empty', 'png', 'duplicates', 'oversized-entry']) {
      expect(names).toContain(`${n}.tgo`);
    }
    for (const n of ['gzip-bomb', 'traversal', 'absolute', 'symlink', 'hardlink', 'device', 'many-entries', 'duplicates', 'oversized-entry', 'truncated']) {
      expect(names).toContain(`${n}.tar.gz`);
    }
  });

  // Time and memory per item are measured by bench/limits.ts, against a valid package.
  it('rejects every item with an issue naming the file', async () => {
    for (const item of corpus) {
      const r = await readPackageFile(item.file, { fileName: item.name });
      expect(r.ok, item.name).toBe(false);
      if (r.ok) continue;
      expect(r.error.length, item.name).toBeGreaterThan(0);
      // Archive-level issues name the upload; descriptor-level ones the entry inside it.
      expect(r.error.every((i) => i.file === item.name || !i.file.startsWith('/')), item.name).toBe(true);
      expect(r.error.some((i) => i.file.length > 0), item.name).toBe(true);
      expect(r.error.map((i) => i.message).join('\n'), item.name).toContain(item.expect);
    }
  }, 120_000);
});
