/**
 * Time and memory bounds that used to be asserted inside tests (where they depended on the
 * machine's load), measured here against a baseline taken in the same run:
 *
 * 1. Hostile packages (test/support/hostile-corpus.ts): time and RSS growth of
 *    readPackageFile per item, against the valid example package (targets: < 5 s and
 *    < 256 MiB per item).
 * 2. The memory VIM with 1000 VNFs on 1000 networks against 100 on 100: a ratio near 10
 *    means linear work, near 100 quadratic (target < 2 s for 1000).
 * 3. With `--docker`: deleting a container whose PID 1 ignores SIGTERM, against one that
 *    stops on SIGTERM (target < 2 s: a kill, not Docker's 10 s stop grace).
 *
 *   npx tsx bench/limits.ts [--docker]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildPackage, readPackageFile } from '../src/packages/index.js';
import { LABEL_NS } from '../src/vim/index.js';
import { createDockerVimDriver } from '../src/vim/docker/docker-vim-driver.js';
import { createMemoryVimDriver } from '../src/vim/memory/memory-vim-driver.js';
import { generateHostileCorpus } from '../test/support/hostile-corpus.js';

const MiB = 2 ** 20;
const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-limits-'));
const row = (cells: readonly (string | number)[]): string => `| ${cells.map(String).join(' | ')} |`;

try {
  // 1. Hostile packages against a valid one.
  const valid = join(dir, 'tango-chain.tgo');
  await buildPackage('examples/tango-chain', valid);
  const measure = async (file: string, name: string): Promise<{ ms: number; rssMiB: number; ok: boolean }> => {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await readPackageFile(file, { fileName: name });
    return { ms: performance.now() - t0, rssMiB: (process.memoryUsage().rss - before) / MiB, ok: r.ok };
  };
  await measure(valid, 'tango-chain.tgo'); // warm-up: module and schema compilation
  const base = await measure(valid, 'tango-chain.tgo');
  console.log(`Hostile packages: readPackageFile per item, baseline the valid example (${base.ms.toFixed(1)} ms)\n`);
  console.log(row(['item', 'ms', 'vs valid', 'RSS growth (MiB)', 'rejected', 'target']));
  console.log(row(['---', '---:', '---:', '---:', '---', '---']));
  await mkdir(join(dir, 'corpus'));
  for (const item of await generateHostileCorpus(join(dir, 'corpus'))) {
    const m = await measure(item.file, item.name);
    const within = m.ms < 5_000 && m.rssMiB < 256;
    console.log(row([item.name, m.ms.toFixed(1), `${(m.ms / base.ms).toFixed(1)}×`, m.rssMiB.toFixed(1), m.ok ? 'NO' : 'yes', within ? 'ok (< 5 s, < 256 MiB)' : 'MISSED']));
  }

  // 2. The memory VIM: 100 against 1000 VNFs, each on its own network.
  const fill = async (n: number): Promise<number> => {
    const d = createMemoryVimDriver();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const name = `n${i}`;
      const labels = { [LABEL_NS]: `ns${i % 10}` };
      await d.createNetwork({ name, subnet: `10.${i >> 8}.${i & 255}.0/24`, labels });
      await d.createCompute({ name: `v${i}`, image: 'vnf/busybox', vcpus: 1, memoryMiB: 64, interfaces: [{ network: name, address: `10.${i >> 8}.${i & 255}.2` }], env: {}, labels });
    }
    await d.listByLabel({ [LABEL_NS]: 'ns3' });
    return performance.now() - t0;
  };
  await fill(100); // warm-up
  const small = await fill(100);
  const large = await fill(1000);
  console.log('\nMemory VIM: VNFs each on its own network (10× the VNFs: ~10× linear, ~100× quadratic)\n');
  console.log(row(['VNFs', 'ms', 'vs 100', 'target']));
  console.log(row(['---:', '---:', '---:', '---']));
  console.log(row([100, small.toFixed(1), '1.0×', '']));
  console.log(row([1000, large.toFixed(1), `${(large / small).toFixed(1)}×`, large < 2000 ? 'ok (< 2 s)' : 'MISSED']));

  // 3. Docker: delete of a container ignoring SIGTERM against one that stops on it.
  if (process.argv.includes('--docker')) {
    const d = createDockerVimDriver({ name: 'bench', endpoint: 'unix:///var/run/docker.sock', popId: 'bench' });
    const ns = `bench-limits-${process.pid}`;
    const subnet = `10.${180 + (process.pid % 19)}.${process.pid % 250}.0/24`;
    const net = await d.createNetwork({ name: `bl-${process.pid}`, subnet, labels: { [LABEL_NS]: ns } });
    const timeDelete = async (name: string, command: string[], address: string): Promise<number> => {
      const c = await d.createCompute({ name: `bl-${process.pid}-${name}`, image: 'vnf/busybox', vcpus: 1, memoryMiB: 64, interfaces: [{ network: net.name, address }], env: {}, labels: { [LABEL_NS]: ns }, command });
      const t0 = performance.now();
      await d.deleteCompute(c.id);
      return performance.now() - t0;
    };
    const prefix = subnet.slice(0, subnet.lastIndexOf('.'));
    const polite = await timeDelete('polite', ['sleep', '3600'], `${prefix}.5`);
    const stubborn = await timeDelete('stubborn', ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"], `${prefix}.6`);
    await d.deleteNetwork(net.id);
    await d.destroy?.();
    console.log('\nDocker: delete of a container, baseline one that stops on SIGTERM\n');
    console.log(row(['PID 1', 'ms', 'vs baseline', 'target']));
    console.log(row(['---', '---:', '---:', '---']));
    console.log(row(['sleep (stops on TERM)', polite.toFixed(0), '1.0×', '']));
    console.log(row(['ignores TERM', stubborn.toFixed(0), `${(stubborn / polite).toFixed(1)}×`, stubborn < 2000 ? 'ok (< 2 s)' : 'MISSED']));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
