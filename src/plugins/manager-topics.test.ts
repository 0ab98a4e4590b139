import { describe, expect, it } from 'vitest';
import { managerSpecsOf } from '../lifecycle/index.js';
import { managerBrokerNames, managerPermissions, NS_MANAGER_TOPICS } from './manager-topics.js';

const NS = '0b6f3c1e-1111-4222-8333-944455556666';
const OTHER = '7c0a2d9f-aaaa-4bbb-8ccc-ddddeeeeffff';

describe('a specific manager\'s broker permissions', () => {
  const p = managerPermissions('rondo', NS, 'fsm-fw');
  const { queuePrefix, user } = managerBrokerNames('rondo', NS, 'fsm-fw');
  const matches = (re: string, s: string) => new RegExp(re).test(s);

  it('may make and use only its own queues, and publish to the exchange and the default one (replies)', () => {
    expect(user).toBe(`rondo.mgr.${NS}.fsm-fw`);
    expect(matches(p.configure, `${queuePrefix}.fanout.ab12`)).toBe(true);
    expect(matches(p.configure, 'rondo.events')).toBe(false);
    expect(matches(p.configure, 'rondo.group.plugin-manager')).toBe(false);
    expect(matches(p.configure, `rondo.mgr.${OTHER}.fsm-fw.fanout.ab12`)).toBe(false);
    expect(matches(p.write, 'rondo.events')).toBe(true);
    expect(matches(p.write, 'amq.default')).toBe(true);
    expect(matches(p.read, 'rondo.group.plugin-manager')).toBe(false);
    expect(matches(p.read, `${queuePrefix}.group.x`)).toBe(true);
  });

  it('routes only its own NS\'s topics and the plugin manager\'s', () => {
    expect(p.topic.exchange).toBe('rondo.events');
    for (const ok of [NS_MANAGER_TOPICS.exec(NS), NS_MANAGER_TOPICS.fsm(NS, 'fsm-fw', 'start'), 'platform.management.plugin.register', 'platform.management.plugin.heartbeat']) {
      expect(matches(p.topic.write, ok), ok).toBe(true);
    }
    for (const refused of [NS_MANAGER_TOPICS.exec(OTHER), 'mano.service.place', 'op.changed', 'platform.management.plugin.status', `mano.ns.${NS}x.exec`]) {
      expect(matches(p.topic.write, refused), refused).toBe(false);
    }
    expect(matches(p.topic.read, NS_MANAGER_TOPICS.place(NS))).toBe(true);
    expect(matches(p.topic.read, 'platform.management.plugin.u-1.lifecycle')).toBe(true);
    expect(matches(p.topic.read, NS_MANAGER_TOPICS.place(OTHER))).toBe(false);
    expect(matches(p.topic.read, 'mano.function.start')).toBe(false);
  });
});

describe('the monitoring SSM topics', () => {
  const p = managerPermissions('rondo', NS, 'ssm-mon');
  const matches = (re: string, s: string) => new RegExp(re).test(s);

  it('are NS-scoped: its manager may publish on its own NS\'s action topic and hear its own NS\'s alarms only', () => {
    expect(NS_MANAGER_TOPICS.alarm(NS)).toBe(`mano.ns.${NS}.service.alarm`);
    expect(NS_MANAGER_TOPICS.action(NS)).toBe(`mano.ns.${NS}.service.action`);
    expect(NS_MANAGER_TOPICS.warning(NS)).toBe(`mano.ns.${NS}.manager.warning`);
    expect(NS_MANAGER_TOPICS.fsm(NS, 'fsm-fw', 'stop')).toBe(`mano.ns.${NS}.function.fsm-fw.stop`);
    expect(matches(p.topic.write, NS_MANAGER_TOPICS.action(NS))).toBe(true);
    expect(matches(p.topic.read, NS_MANAGER_TOPICS.alarm(NS))).toBe(true);
    expect(matches(p.topic.write, NS_MANAGER_TOPICS.action(OTHER))).toBe(false);
    expect(matches(p.topic.read, NS_MANAGER_TOPICS.alarm(OTHER))).toBe(false);
    expect(matches(p.topic.read, 'alarm.raised')).toBe(false);
  });
});

describe('the managers an NS runs', () => {
  it('SSMs of the NSD, and one FSM per manager id with every member whose VNFD names it', () => {
    const fsm = { id: 'fsm-fw', image: 'rondo/fsm:1', options: {} };
    const specs = managerSpecsOf(
      { managers: [{ id: 'ssm-p', image: 'rondo/ssm:1', options: { pop: 'dc2' } }], vnfs: [{ vnfId: 'fw1' }, { vnfId: 'fw2' }, { vnfId: 'client' }] } as never,
      { fw1: { managers: [fsm] }, fw2: { managers: [fsm] }, client: {} },
    );
    expect(specs).toEqual([
      { id: 'ssm-p', image: 'rondo/ssm:1', options: { pop: 'dc2' }, kind: 'ssm', members: [] },
      { ...fsm, kind: 'fsm', members: ['fw1', 'fw2'] },
    ]);
    expect(() => managerSpecsOf({ managers: [{ id: 'x', image: 'a', options: {} }], vnfs: [{ vnfId: 'v' }] } as never, { v: { managers: [{ id: 'x', image: 'b', options: {} }] } })).toThrow(/two different managers/);
  });
});
