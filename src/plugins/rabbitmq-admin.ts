import { RondoError } from '../model/index.js';
import type { ManagerPermissions } from './manager-topics.js';

/** Options of {@link createRabbitAdmin}. */
export interface RabbitAdminOptions {
  /** The management API, with credentials: `http://guest:guest@127.0.0.1:15672`. */
  readonly url: string;
  /** The vhost the bus uses (default `/`). */
  readonly vhost?: string;
  /** Per call (ms, default 10 000). */
  readonly timeoutMs?: number;
}

/** The few calls of the RabbitMQ management HTTP API (plugin `rabbitmq_management`) Rondo makes for specific managers. */
export interface RabbitAdmin {
  /** Creates (or resets) a user with a password and no tags, then sets its vhost and topic permissions. */
  putManagerUser(user: string, password: string, perms: ManagerPermissions): Promise<void>;
  /** Deletes a user (none is fine); the broker closes its connections. */
  deleteUser(user: string): Promise<void>;
  /** Whether a user exists. */
  userExists(user: string): Promise<boolean>;
  /** Names of the vhost's queues that start with `prefix`. */
  queuesStartingWith(prefix: string): Promise<string[]>;
  /** Deletes a queue (none is fine). */
  deleteQueue(name: string): Promise<void>;
  /** Closes every connection of a user (so its exclusive queues go). */
  closeConnectionsOf(user: string): Promise<void>;
}

/** The management URL for an AMQP URL: its host, port 15672, the same credentials. */
export function managementUrlOf(amqpUrl: string): string {
  const u = new URL(amqpUrl);
  const user = decodeURIComponent(u.username || 'guest');
  const pass = decodeURIComponent(u.password || 'guest');
  return `http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${u.hostname}:15672`;
}

/** The vhost of an AMQP URL (`amqp://h/` and `amqp://h` are `/`). */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}

/**
 * A management API client over fetch. Errors are RondoError `BUS_UNAVAILABLE` naming the
 * call (enable the plugin: `rabbitmq-plugins enable rabbitmq_management`).
 */
export function createRabbitAdmin(o: RabbitAdminOptions): RabbitAdmin {
  const base = new URL(o.url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  base.username = '';
  base.password = '';
  const root = base.href.replace(/\/$/, '');
  const vhost = encodeURIComponent(o.vhost ?? '/');
  const timeoutMs = o.timeoutMs ?? 10_000;
  const call = async (method: string, path: string, body?: unknown, okMissing = false): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${root}/api/${path}`, {
        method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new RondoError('BUS_UNAVAILABLE', `RabbitMQ management API at ${root} did not answer ${method} /api/${path} (is rabbitmq_management enabled?): ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status === 404 && okMissing) return undefined;
    if (!res.ok) throw new RondoError('BUS_UNAVAILABLE', `RabbitMQ management API: ${method} /api/${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const text = await res.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const u = (user: string) => encodeURIComponent(user);
  return {
    async putManagerUser(user, password, perms) {
      await call('PUT', `users/${u(user)}`, { password, tags: '' });
      await call('PUT', `permissions/${vhost}/${u(user)}`, { configure: perms.configure, write: perms.write, read: perms.read });
      await call('PUT', `topic-permissions/${vhost}/${u(user)}`, perms.topic);
    },
    async deleteUser(user) {
      await call('DELETE', `users/${u(user)}`, undefined, true);
    },
    async userExists(user) {
      return (await call('GET', `users/${u(user)}`, undefined, true)) !== undefined;
    },
    async queuesStartingWith(prefix) {
      const list = (await call('GET', `queues/${vhost}?columns=name`)) as { name: string }[];
      return list.map((q) => q.name).filter((n) => n.startsWith(prefix));
    },
    async deleteQueue(name) {
      await call('DELETE', `queues/${vhost}/${encodeURIComponent(name)}`, undefined, true);
    },
    async closeConnectionsOf(user) {
      const list = (await call('GET', `connections?columns=name,user`)) as { name: string; user: string }[];
      for (const c of list.filter((x) => x.user === user)) await call('DELETE', `connections/${encodeURIComponent(c.name)}`, undefined, true);
    },
  };
}
