/**
 * The event bus compliance suite: the same cases for every {@link Bus} implementation
 * (in-process always, RabbitMQ on the real broker). A "process" is one bus instance
 * (`harness.open()`); `harness.crash()` ends one without a goodbye, as a kill -9 would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RondoError } from '../src/model/index.js';
import { idempotent, recentEventIds } from '../src/bus/index.js';
import type { Bus, BusEvent, BusSubscription } from '../src/bus/index.js';

/** The topics the suite publishes. */
export interface ComplianceTopics {
  'test.a': { readonly n: number; readonly ns: string };
  'test.b': { readonly text: string };
  'test.rpc': { readonly x: number };
  'test.rpc.fail': { readonly x: number };
  'test.rpc.late': { readonly x: number };
  'test.rpc.none': { readonly x: number };
}
/** The answers of the suite's request topics. */
export interface ComplianceReplies {
  'test.rpc': { readonly doubled: number; readonly by: string };
  'test.rpc.fail': null;
  'test.rpc.late': { readonly x: number };
}
type TestBus = Bus<ComplianceTopics, ComplianceReplies>;
type AEvent = BusEvent<ComplianceTopics, 'test.a'>;

/** What the suite needs from an implementation. */
export interface BusComplianceHarness {
  /** A bus instance standing for one more process. */
  open(): Promise<TestBus>;
  /** Ends `bus` abruptly (no clean close on the wire): its unacknowledged group events must come back. */
  crash(bus: TestBus): Promise<void>;
  /** Removes what the runs left (broker queues and exchange of the run's prefix), after every bus was closed. */
  cleanup(): Promise<void>;
}

/** The consumer groups the suite uses (the RabbitMQ harness deletes their queues). */
export const BUS_COMPLIANCE_GROUPS = ['delivery', 'competing', 'standby', 'redelivery', 'ordering', 'confirm', 'retry', 'dedupe', 'mismatch', 'rpc', 'rpc-fail', 'rpc-late'] as const;

/** Polls `check` until it holds; throws naming `what` after `ms`. */
async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the cases against the buses `makeHarness` opens (once per file). */
export function runBusCompliance(name: string, makeHarness: () => Promise<BusComplianceHarness>): void {
  describe(`event bus compliance: ${name}`, () => {
    let h: BusComplianceHarness;
    const opened: TestBus[] = [];
    const open = async (): Promise<TestBus> => {
      const b = await h.open();
      opened.push(b);
      return b;
    };

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      for (const b of opened) await b.close();
      await h?.cleanup();
    });

    it('delivers each event to a group and to fan-out subscribers, with its id, key, time and payload; publish resolves with the id', async () => {
      const [producer, consumer] = [await open(), await open()];
      const grouped: AEvent[] = [];
      const fanned: BusEvent<ComplianceTopics>[] = [];
      await consumer.consume('delivery', ['test.a'], async (e) => void grouped.push(e));
      await consumer.subscribe(['test.a', 'test.b'], (e) => void fanned.push(e));
      const id = await producer.publish('test.a', { n: 1, ns: 'ns-1' }, { key: 'ns-1', time: '2025-01-02T03:04:05.678Z' });
      const own = await producer.publish('test.a', { n: 2, ns: 'ns-1' }, { id: 'my-event-id' });
      await producer.publish('test.b', { text: 'hello' });
      expect(own).toBe('my-event-id');
      await until('two group deliveries and three fan-out deliveries', () => grouped.length === 2 && fanned.length === 3);
      expect(grouped[0]).toEqual({ id, topic: 'test.a', key: 'ns-1', time: '2025-01-02T03:04:05.678Z', payload: { n: 1, ns: 'ns-1' }, redelivered: false });
      expect(grouped[1]).toMatchObject({ id: 'my-event-id', key: null, payload: { n: 2 } });
      expect(Number.isNaN(Date.parse(grouped[1]?.time ?? ''))).toBe(false);
      expect(fanned.map((e) => e.topic)).toEqual(['test.a', 'test.a', 'test.b']);
      // The group has no binding for test.b: it got nothing of it.
      await sleep(100);
      expect(grouped).toHaveLength(2);
    });

    it('fans out every event to every process, in publish order, until a process unsubscribes', async () => {
      const producer = await open();
      const procs = [await open(), await open(), await open()];
      const seen = procs.map(() => [] as number[]);
      const subs: BusSubscription[] = [];
      for (const [i, p] of procs.entries()) subs.push(await p.subscribe(['test.a'], (e) => void seen[i]?.push(e.payload.n)));
      for (let n = 1; n <= 20; n++) await producer.publish('test.a', { n, ns: 'fan' });
      await until('every process to get 20 events', () => seen.every((s) => s.length === 20));
      const inOrder = Array.from({ length: 20 }, (_, i) => i + 1);
      for (const s of seen) expect(s).toEqual(inOrder);
      await subs[0]?.close();
      await producer.publish('test.a', { n: 21, ns: 'fan' });
      await until('the others to get event 21', () => seen[1]?.length === 21 && seen[2]?.length === 21);
      await sleep(100);
      expect(seen[0]).toHaveLength(20);
    });

    it('competing consumers: an unordered group spreads its events over its members, each event handled once', async () => {
      const producer = await open();
      const members = [await open(), await open()];
      const got = members.map(() => [] as number[]);
      for (const [i, m] of members.entries()) {
        await m.consume('competing', ['test.a'], async (e) => {
          got[i]?.push(e.payload.n);
          await sleep(20);
        }, { ordered: false, prefetch: 1 });
      }
      const total = 20;
      for (let n = 1; n <= total; n++) await producer.publish('test.a', { n, ns: `ns-${n % 3}` });
      await until('every event handled', () => got.flat().length >= total);
      await sleep(100);
      expect(got.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      for (const g of got) expect(g.length).toBeGreaterThan(0);
    });

    it('an ordered group has one active member at a time; the others stand by', async () => {
      const producer = await open();
      const members = [await open(), await open()];
      const got = members.map(() => [] as number[]);
      for (const [i, m] of members.entries()) await m.consume('standby', ['test.a'], async (e) => void got[i]?.push(e.payload.n));
      for (let n = 1; n <= 10; n++) await producer.publish('test.a', { n, ns: 'ns' });
      await until('every event handled', () => got.flat().length >= 10);
      await sleep(100);
      const active = got.filter((g) => g.length > 0);
      expect(active).toEqual([Array.from({ length: 10 }, (_, i) => i + 1)]);
    });

    it('at least once: the events a member had not acknowledged when it died go to another member, in order, flagged redelivered', async () => {
      const producer = await open();
      const doomed = await open();
      const survivor = await open();
      const started: number[] = [];
      // The first member takes the first event and never finishes it.
      await doomed.consume('redelivery', ['test.a'], async (e) => {
        started.push(e.payload.n);
        await new Promise(() => undefined);
      });
      const got: AEvent[] = [];
      await survivor.consume('redelivery', ['test.a'], async (e) => void got.push(e));
      for (let n = 1; n <= 3; n++) await producer.publish('test.a', { n, ns: 'ns-r' }, { key: 'ns-r' });
      await until('the first member to take event 1', () => started.length === 1);
      await sleep(100);
      expect(got).toEqual([]);
      await h.crash(doomed);
      await until('the survivor to get all three', () => got.length >= 3);
      expect(got.map((e) => e.payload.n)).toEqual([1, 2, 3]);
      expect(got[0]?.redelivered).toBe(true);
      expect(started).toEqual([1]);
    });

    it('keeps per-NS order in an ordered group, through a member leaving mid-stream', async () => {
      const producer = await open();
      const first = await open();
      const second = await open();
      const handled: AEvent[] = [];
      const handler = async (e: AEvent) => {
        // Uneven handler times: order must not depend on them.
        await sleep((e.payload.n * 7) % 5);
        handled.push(e);
      };
      const firstSub = await first.consume('ordering', ['test.a'], handler);
      await second.consume('ordering', ['test.a'], handler);
      const nss = ['ns-x', 'ns-y', 'ns-z'];
      const total = 60;
      for (let n = 1; n <= total; n++) {
        const ns = nss[n % nss.length] ?? 'ns-x';
        await producer.publish('test.a', { n, ns }, { key: ns });
        if (n === 20) {
          await until('a third of the events handled', () => handled.length >= 15);
          await firstSub.close();
        }
      }
      await until('every event handled', () => new Set(handled.map((e) => e.id)).size === total);
      // Dedupe by id (a member leaving hands back what it had not acknowledged), then per NS n only grows.
      const firsts = handled.filter((e, i) => handled.findIndex((x) => x.id === e.id) === i);
      for (const ns of nss) {
        const ns_ = firsts.filter((e) => e.payload.ns === ns).map((e) => e.payload.n);
        expect(ns_, ns).toEqual([...ns_].sort((a, b) => a - b));
        expect(ns_.length).toBe(total / nss.length);
      }
    });

    it('confirm on publish: a confirmed event waits in its group\'s queue for a member that joins later; a closed bus refuses to publish', async () => {
      const producer = await open();
      const early = await open();
      const sub = await early.consume('confirm', ['test.a'], async () => undefined);
      await sub.close();
      // No member now: the group's queue holds what is confirmed.
      for (let n = 1; n <= 3; n++) await producer.publish('test.a', { n, ns: 'c' });
      const late = await open();
      const got: number[] = [];
      await late.consume('confirm', ['test.a'], async (e) => void got.push(e.payload.n));
      await until('the late member to get the three', () => got.length === 3);
      expect(got).toEqual([1, 2, 3]);

      const gone = await open();
      await gone.close();
      const refused = await gone.publish('test.a', { n: 0, ns: 'c' }).then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(RondoError);
      expect((refused as RondoError).code).toBe('BUS_UNAVAILABLE');
    });

    it('calls a failing group handler again in place (order kept), and gives an event up after its attempts', async () => {
      const producer = await open();
      const member = await open();
      const calls: number[] = [];
      let failFirst = true;
      await member.consume('retry', ['test.a'], async (e) => {
        calls.push(e.payload.n);
        if (e.payload.n === 1 && failFirst) {
          failFirst = false;
          throw new Error('flaky once');
        }
        if (e.payload.n === 2) throw new Error('always');
      }, { attempts: 3, retryDelayMs: 5 });
      for (let n = 1; n <= 3; n++) await producer.publish('test.a', { n, ns: 'r' });
      await until('event 3 handled', () => calls.includes(3));
      expect(calls).toEqual([1, 1, 2, 2, 2, 3]);
    });

    it('an idempotent consumer handles an event id once, however often it arrives', async () => {
      const producer = await open();
      const member = await open();
      const handled: string[] = [];
      const seen = recentEventIds();
      await member.consume('dedupe', ['test.a'], idempotent('dedupe', seen, async (e: AEvent) => void handled.push(`${e.id}:${e.payload.n}`)));
      await producer.publish('test.a', { n: 1, ns: 'd' }, { id: 'dup-1' });
      await producer.publish('test.a', { n: 1, ns: 'd' }, { id: 'dup-1' });
      await producer.publish('test.a', { n: 2, ns: 'd' }, { id: 'dup-2' });
      await until('dup-2 handled', () => handled.includes('dup-2:2'));
      expect(handled).toEqual(['dup-1:1', 'dup-2:2']);
    });

    it('refuses a group joined with the other ordering, and names that cannot be queue or topic names', async () => {
      const a = await open();
      const b = await open();
      await a.consume('mismatch', ['test.a'], async () => undefined);
      const refused = await b.consume('mismatch', ['test.a'], async () => undefined, { ordered: false }).then(() => null, (e: unknown) => e);
      expect((refused as RondoError).code).toBe('BUS_INVALID');
      const badGroup = await b.consume('no spaces', ['test.a'], async () => undefined).then(() => null, (e: unknown) => e);
      expect((badGroup as RondoError).code).toBe('BUS_INVALID');
    });

    it('request/response: one member of a responder group answers each request, matched to its requester by correlation id', async () => {
      const [requester, a, b] = [await open(), await open(), await open()];
      const seen: string[] = [];
      const answer = (by: string) => async (e: BusEvent<ComplianceTopics, 'test.rpc'>) => (seen.push(`${by}:${e.payload.x}`), { doubled: e.payload.x * 2, by });
      await a.respond('rpc', ['test.rpc'], answer('a'));
      await b.respond('rpc', ['test.rpc'], answer('b'));
      // A plain event of the topic (no reply-to) is nobody's request: it is not answered.
      await requester.publish('test.rpc', { x: 99 });
      const xs = [1, 2, 3, 4, 5, 6];
      const answers = await Promise.all(xs.map((x) => requester.request('test.rpc', { x }, { timeoutMs: 10_000 })));
      expect(answers.map((r) => r.doubled)).toEqual([2, 4, 6, 8, 10, 12]);
      // Each request was answered once, by one member; the plain event reached no handler.
      expect(seen.map((s) => Number(s.split(':')[1])).sort()).toEqual(xs);
      for (const r of answers) expect(['a', 'b']).toContain(r.by);
    });

    it('a responder\'s error reaches its requester with its code; a request nobody receives fails at once with BUS_NO_RESPONDER', async () => {
      const [requester, responder] = [await open(), await open()];
      await responder.respond('rpc-fail', ['test.rpc.fail'], async (e) => {
        if (e.payload.x === 1) throw new RondoError('PLUGIN_NOT_FOUND', 'no such plugin');
        throw new Error('plain failure');
      });
      const typed = await requester.request('test.rpc.fail', { x: 1 }, { timeoutMs: 10_000 }).then(() => null, (e: unknown) => e);
      expect((typed as RondoError).code).toBe('PLUGIN_NOT_FOUND');
      const plain = await requester.request('test.rpc.fail', { x: 2 }, { timeoutMs: 10_000 }).then(() => null, (e: unknown) => e);
      expect((plain as RondoError).code).toBe('BUS_REQUEST_FAILED');
      // A timeout this long would fail the test by vitest's own limit: the answer must come first.
      const nobody = await requester.request('test.rpc.none', { x: 1 }, { timeoutMs: 60_000 }).then(() => null, (e: unknown) => e);
      expect((nobody as RondoError).code).toBe('BUS_NO_RESPONDER');
      const noTimeout = await requester.request('test.rpc.fail', { x: 1 }, { timeoutMs: 0 }).then(() => null, (e: unknown) => e);
      expect((noTimeout as RondoError).code).toBe('BUS_INVALID');
    });

    it('a request nobody answers in time fails with BUS_REQUEST_TIMEOUT, and a responder that joins later never sees it', async () => {
      const [requester, first] = [await open(), await open()];
      // The group's queue is bound and stays when its last member leaves: the request waits there.
      const gone = await first.respond('rpc-late', ['test.rpc.late'], async (e) => ({ x: e.payload.x }));
      await gone.close();
      const late = await requester.request('test.rpc.late', { x: 1 }, { timeoutMs: 300 }).then(() => null, (e: unknown) => e);
      expect((late as RondoError).code).toBe('BUS_REQUEST_TIMEOUT');
      const seen: number[] = [];
      const second = await open();
      await second.respond('rpc-late', ['test.rpc.late'], async (e) => (seen.push(e.payload.x), { x: e.payload.x }));
      expect(await requester.request('test.rpc.late', { x: 2 }, { timeoutMs: 10_000 })).toEqual({ x: 2 });
      expect(seen).toEqual([2]);
    });
  });
}
