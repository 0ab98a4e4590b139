/**
 * The transactional outbox on both stores: each lifecycle state change writes its event in
 * the statement that makes the change, and the relay publishes unsent events in order and
 * marks them sent. Crashes are injected at the relay's crash points (a throwing hit is a
 * process that died there: its transaction never commits), never raced against a clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus, idempotent, OutboxRelay } from '../../src/bus/index.js';
import type { Bus, BusEvent, RelayCrashPoint } from '../../src/bus/index.js';
import type { LifecycleTopics } from '../../src/lifecycle/index.js';
import { ConflictError } from '../../src/model/index.js';
import type { LcmOpOcc, NsInstance } from '../../src/model/index.js';
import { consumedEvents, createRuntimeRepositories, outboxStore, unsentOutboxEvents } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';

class Crashed extends Error {}

/** Crash points that kill "the process" (throw) at the nth hit of `point`. */
const dieAt = (point: RelayCrashPoint, nth = 1) => {
  let hits = 0;
  return {
    hit(p: RelayCrashPoint) {
      if (p === point && ++hits === nth) throw new Crashed(p);
    },
  };
};

describe.each(STORE_KINDS)('transactional outbox and relay, %s store', (kind) => {
  let store: Store;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(kind, `outbox-relay.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());

  const repos = () => createRuntimeRepositories(store.db);
  const newNs = async (): Promise<NsInstance> => {
    const now = new Date().toISOString();
    return repos().nsInstances.insert({ id: `ns-${kind}-${++seq}`, name: `n${seq}`, description: '', nsdId: 'nsd', nsdInfoId: 'nsd-info', state: 'NOT_INSTANTIATED', tenant: 'lab', createdAt: now, updatedAt: now });
  };
  const newOp = async (ns: NsInstance): Promise<LcmOpOcc> => {
    const now = new Date();
    return repos().opOccs.create(
      {
        id: `op-${kind}-${++seq}`, nsInstanceId: ns.id, lcmOperationType: 'INSTANTIATE', operationState: 'PROCESSING', statusEnteredTime: now.toISOString(),
        startTime: now.toISOString(), isAutomaticInvocation: false, operationParams: {}, isCancelPending: false, cancelMode: null, error: null, tenant: ns.tenant,
      },
      null,
    );
  };
  /** A bus, a fan-out subscriber recording what it sees, and a relay over the store. */
  const rig = async () => {
    const bus: Bus<LifecycleTopics> = createInProcessBus<LifecycleTopics>();
    const seen: BusEvent<LifecycleTopics>[] = [];
    await bus.subscribe(['op.changed', 'ns.created', 'ns.changed', 'ns.deleted'], (e) => void seen.push(e));
    const relay = (crashPoints?: ReturnType<typeof dieAt>) => new OutboxRelay({ store: outboxStore(store.db), bus: bus as never, ...(crashPoints ? { crashPoints } : {}) });
    return { bus, seen, relay };
  };
  const clear = async () => {
    await store.db.deleteFrom('outbox').execute();
    await store.db.deleteFrom('consumed_events').execute();
  };

  it('each state change writes its event in the same statement; the relay publishes them in order, under their ids, and marks them sent', async () => {
    await clear();
    const { seen, relay } = await rig();
    const ns = await newNs();
    const op = await newOp(ns);
    const done = await repos().opOccs.transition(op.id, 'PROCESSING', 'COMPLETED', { now: new Date('2025-03-04T05:06:07.089Z') });
    await repos().nsInstances.setState(ns.id, 'NOT_INSTANTIATED', 'INSTANTIATED', new Date());
    await repos().nsInstances.setState(ns.id, 'INSTANTIATED', 'NOT_INSTANTIATED', new Date());
    await repos().nsInstances.delete(ns.id, 'NOT_INSTANTIATED');

    const written = await unsentOutboxEvents(store.db);
    expect(written.map((e) => e.topic)).toEqual(['ns.created', 'op.changed', 'op.changed', 'ns.changed', 'ns.changed', 'ns.deleted']);
    expect(written.every((e) => e.key === ns.id)).toBe(true);
    expect(written[0]?.payload).toEqual({ nsInstanceId: ns.id, tenant: 'lab', nsInstanceName: ns.name, nsdInfoId: 'nsd-info' });
    expect(written[1]?.payload).toEqual({
      opId: op.id, nsInstanceId: ns.id, operationState: 'PROCESSING', previousState: null, lcmOperationType: 'INSTANTIATE', tenant: 'lab',
      isAutomaticInvocation: false, startTime: op.startTime, statusEnteredTime: op.statusEnteredTime, error: null,
    });
    expect(written[2]?.payload).toMatchObject({ operationState: 'COMPLETED', previousState: 'PROCESSING', statusEnteredTime: done.statusEnteredTime });
    expect(written[3]?.payload).toEqual({ nsInstanceId: ns.id, tenant: 'lab', state: 'INSTANTIATED', previousState: 'NOT_INSTANTIATED' });

    await relay().drain();
    expect(seen.map((e) => [e.id, e.topic, e.key])).toEqual(written.map((e) => [e.id, e.topic, e.key]));
    expect(seen.map((e) => e.payload)).toEqual(written.map((e) => e.payload));
    expect(await unsentOutboxEvents(store.db)).toEqual([]);
  });

  it('a change refused by its guard (409) writes no event', async () => {
    await clear();
    const ns = await newNs();
    const op = await newOp(ns);
    const before = (await unsentOutboxEvents(store.db)).length;
    await expect(repos().opOccs.transition(op.id, 'FAILED_TEMP', 'PROCESSING', { now: new Date() })).rejects.toBeInstanceOf(ConflictError);
    await expect(repos().nsInstances.setState(ns.id, 'INSTANTIATED', 'NOT_INSTANTIATED', new Date())).rejects.toBeInstanceOf(ConflictError);
    expect(await unsentOutboxEvents(store.db)).toHaveLength(before);
  });

  it('a process that dies between the commit and the publication loses nothing: the next relay, of any process, sends its events', async () => {
    await clear();
    const { seen, relay } = await rig();
    const ns = await newNs();
    await newOp(ns);
    // This process read its batch and died before publishing it.
    await expect(relay(dieAt('outbox-claimed')).drain()).rejects.toBeInstanceOf(Crashed);
    expect(seen).toEqual([]);
    const waiting = await unsentOutboxEvents(store.db);
    expect(waiting.map((e) => e.topic)).toEqual(['ns.created', 'op.changed']);
    // Another process's relay.
    await relay().drain();
    expect(seen.map((e) => e.id)).toEqual(waiting.map((e) => e.id));
    expect(await unsentOutboxEvents(store.db)).toEqual([]);
  });

  it('a relay that dies after the bus confirmed, before it marked the batch sent: the batch goes out again under the same ids, and an idempotent group consumer handles each once', async () => {
    await clear();
    const { bus, seen, relay } = await rig();
    const handled: string[] = [];
    await bus.consume('outbox-test', ['op.changed', 'ns.created'], idempotent('outbox-test', consumedEvents(store.db), async (e: BusEvent<LifecycleTopics, 'op.changed' | 'ns.created'>) => void handled.push(e.id)));
    const ns = await newNs();
    await newOp(ns);
    await expect(relay(dieAt('outbox-published')).drain()).rejects.toBeInstanceOf(Crashed);
    const first = seen.map((e) => e.id);
    expect(first).toHaveLength(2);
    await relay().drain();
    // Fan-out subscribers see the duplicates (same ids); the idempotent group handled each once.
    expect(seen.map((e) => e.id)).toEqual([...first, ...first]);
    await expect.poll(() => handled.length).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toEqual(first);
  });

  it('relays of several processes at once: one holds the lock at a time, each event goes out once, per NS in order', async () => {
    await clear();
    const { seen, relay } = await rig();
    const nss = [await newNs(), await newNs(), await newNs()];
    const ops = await Promise.all(nss.map((n) => newOp(n)));
    // Each op runs through failure, retry and completion: five changes per NS, written one after another.
    for (const op of ops) {
      const r = repos().opOccs;
      await r.transition(op.id, 'PROCESSING', 'FAILED_TEMP', { now: new Date() });
      await r.transition(op.id, 'FAILED_TEMP', 'PROCESSING', { now: new Date() });
      await r.transition(op.id, 'PROCESSING', 'COMPLETED', { now: new Date() });
    }
    const written = await unsentOutboxEvents(store.db);
    const relays = [relay(), relay(), relay()];
    await Promise.all(relays.map((r) => r.drain()));
    expect(seen.map((e) => e.id)).toEqual(written.map((e) => e.id));
    for (const ns of nss) {
      const states = seen.filter((e) => e.topic === 'op.changed' && e.key === ns.id).map((e) => (e.payload as { operationState: string }).operationState);
      expect(states, ns.id).toEqual(['PROCESSING', 'FAILED_TEMP', 'PROCESSING', 'COMPLETED']);
    }
  });
});
