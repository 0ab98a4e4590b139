/**
 * The dashboard's one door to the Rondo API. Every request, every shape adaptation and
 * the bearer token live here, so a change of the API touches this file only.
 */
import type {
  AlarmView, GatekeeperUpload, HealNsRequest, NsdModelAnswer, NsView, OpAction, OpView, PackageSummary, PluginAnswer, PopView, ReadyAnswer, ScaleNsRequest, ScaleVnfData, SystemView,
  TokenAnswer, UploadIssue, UploadResult,
} from './api-types.js';
import { toAlarmView, toNsView, toOpView, toPopView } from './api-normalize.js';
import { getToken, setToken } from './session.js';

export { getToken, setToken } from './session.js';

/** An answer that is not 2xx; carries the ProblemDetails `code` and `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: unknown,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

/** The API wants credentials (401): the app shows the login form. */
export class AuthRequiredError extends ApiError {}

const listeners = new Set<() => void>();

/** Called whenever a request answers 401; returns the unsubscribe function. */
export function onAuthRequired(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `anonymous`: send no token and take a 401 as an answer, not as "please sign in" (login). */
type RequestOptions = RequestInit & { readonly anonymous?: boolean };

/**
 * Every HTTP call of the dashboard: adds the bearer token when one is held, turns a non-2xx
 * answer into an {@link ApiError} from its ProblemDetails. A 401 forgets the token it was
 * sent with (expired, revoked, or from another server key) and asks for a sign-in.
 */
async function request(path: string, { anonymous = false, ...init }: RequestOptions = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const sent = anonymous ? null : getToken();
  if (sent) headers.set('authorization', `Bearer ${sent}`);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const res = await fetch(path, { ...init, headers });
  if (res.ok) return res;
  const body: unknown = await res.json().catch(() => null);
  const p = (body ?? {}) as { code?: string; detail?: string; error?: string; title?: string };
  const detail = p.detail ?? p.error ?? p.title ?? res.statusText;
  if (res.status === 401 && !anonymous) {
    // A 401 for a token already replaced (a call that left before the sign-in) is stale.
    if (getToken() === sent) {
      if (sent !== null) setToken(null);
      for (const l of [...listeners]) l();
    }
    throw new AuthRequiredError(401, p.code ?? 'UNAUTHORIZED', detail, body);
  }
  throw new ApiError(res.status, p.code ?? 'HTTP_' + res.status, detail, body);
}

async function json<T>(path: string, init?: RequestOptions): Promise<T> {
  const res = await request(path, init);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
});

/** A list answer: an array, or an object holding one (paged answers). */
const items = (raw: unknown): unknown[] => (Array.isArray(raw) ? raw : ((raw as { items?: unknown[] } | null)?.items ?? []));

/** On-boarded packages with their NSDs and VNFDs. */
export const listPackages = (): Promise<PackageSummary[]> => json<PackageSummary[]>('/admin/v1/packages');

/**
 * An on-boarded NSD and its VNFDs as the server's descriptor model (any format), which the
 * topology is drawn from; 409 before on-boarding.
 */
export const nsdModel = (nsdInfoId: string): Promise<NsdModelAnswer> =>
  json<NsdModelAnswer>(`/admin/v1/ns_descriptors/${encodeURIComponent(nsdInfoId)}/model`);

/** The NSD document (YAML text) of a catalog NSD. */
export const nsdText = async (nsdInfoId: string): Promise<string> =>
  (await request(`/nsd/v1/ns_descriptors/${encodeURIComponent(nsdInfoId)}/nsd_content`, { headers: { accept: 'text/plain' } })).text();

/** The VNFD document (YAML text) of a VNF package. */
export const vnfdText = async (vnfPkgId: string): Promise<string> =>
  (await request(`/vnfpkgm/v1/vnf_packages/${encodeURIComponent(vnfPkgId)}/vnfd`, { headers: { accept: 'text/plain' } })).text();

/** Uploads and on-boards a package; a rejection comes back as issues, not as a throw. */
export async function uploadPackage(file: File): Promise<UploadResult> {
  const form = new FormData();
  form.append('package', file, file.name);
  try {
    const r = await json<GatekeeperUpload>('/packages', { method: 'POST', body: form });
    return { ok: true, nsdInfoId: r.service_uuid, size: r.size, sha1: r.sha1 };
  } catch (e) {
    if (!(e instanceof ApiError) || e instanceof AuthRequiredError) throw e;
    const issues = ((e.body as { issues?: UploadIssue[] } | null)?.issues ?? []).map((i) => ({ file: i.file ?? '', path: i.path ?? '', message: i.message ?? '' }));
    return { ok: false, status: e.status, code: e.code, detail: e.detail, issues };
  }
}

/** Every NS instance. */
export const listNs = async (): Promise<NsView[]> => items(await json('/nslcm/v1/ns_instances?fields=vnfInstance,sapInfo')).map(toNsView);

/** One NS instance. */
export const getNs = async (id: string): Promise<NsView> => toNsView(await json(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}`));

/** Creates an NS instance of a catalog NSD (SOL005 `CreateNsRequest`). */
export const createNs = async (nsdId: string, nsName: string, nsDescription = ''): Promise<NsView> =>
  toNsView(await json('/nslcm/v1/ns_instances', post({ nsdId, nsName, nsDescription })));

/** Where the API put an operation it accepted: the id at the end of `Location`. */
async function acceptedOp(res: Response): Promise<string> {
  const loc = res.headers.get('location') ?? '';
  const fromLocation = loc.split('/').pop();
  if (fromLocation) return fromLocation;
  const body = (await res.json().catch(() => null)) as { id?: string } | null;
  return body?.id ?? '';
}

/** Starts instantiation (in `nsFlavourId`, else the NSD's own first flavour, chosen by the API); resolves with the operation id. */
export const instantiateNs = async (id: string, nsFlavourId?: string): Promise<string> =>
  acceptedOp(await request(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}/instantiate`, post(nsFlavourId === undefined ? {} : { nsFlavourId })));

/** Starts termination; resolves with the operation id. */
export const terminateNs = async (id: string): Promise<string> =>
  acceptedOp(await request(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}/terminate`, post({})));

/**
 * Scales one VNF of an NS by steps of one of its scaling aspects (SOL005 `SCALE_VNF`);
 * resolves with the operation id. Past the aspect's limits the API answers 422.
 */
export const scaleVnf = async (id: string, vnfInstanceId: string, scaleVnfType: Extract<ScaleVnfData['scaleVnfType'], 'SCALE_OUT' | 'SCALE_IN'>, aspectId: string, numberOfSteps = 1): Promise<string> => {
  const body: ScaleNsRequest = { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType, scaleByStepData: { aspectId, numberOfSteps } }] };
  return acceptedOp(await request(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}/scale`, post(body)));
};

/** Heals one VNF of an NS (its dead or sick containers are made again); resolves with the operation id. */
export const healVnf = async (id: string, vnfInstanceId: string, cause: string): Promise<string> => {
  const body: HealNsRequest = { healVnfData: [{ vnfInstanceId, cause }] };
  return acceptedOp(await request(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}/heal`, post(body)));
};

/** Deletes a NOT_INSTANTIATED NS instance. */
export const deleteNs = async (id: string): Promise<void> => {
  await request(`/nslcm/v1/ns_instances/${encodeURIComponent(id)}`, { method: 'DELETE' });
};

/** Operations, newest first; only those of one NS when `nsInstanceId` is given. */
export async function listOps(nsInstanceId?: string): Promise<OpView[]> {
  const all = items(await json('/nslcm/v1/ns_lcm_op_occs')).map(toOpView);
  return all.filter((o) => nsInstanceId === undefined || o.nsInstanceId === nsInstanceId).sort((a, b) => b.startTime.localeCompare(a.startTime));
}

/** One operation with its steps. */
export const getOp = async (id: string): Promise<OpView> => toOpView(await json(`/nslcm/v1/ns_lcm_op_occs/${encodeURIComponent(id)}`));

/** Retry, roll back, fail or cancel an operation. */
export const opAction = async (id: string, action: OpAction): Promise<void> => {
  await request(`/nslcm/v1/ns_lcm_op_occs/${encodeURIComponent(id)}/${action}`, post(action === 'cancel' ? { cancelMode: 'GRACEFUL' } : {}));
};

/** Alarms, newest first. */
export const listAlarms = async (): Promise<AlarmView[]> =>
  items(await json('/nsfm/v1/alarms')).map(toAlarmView).sort((a, b) => b.alarmRaisedTime.localeCompare(a.alarmRaisedTime));

/** The registered PoPs with capacity and use. */
export const listPops = async (): Promise<PopView[]> => items(await json('/admin/v1/vims')).map(toPopView);

/**
 * The server's store and event bus (`GET /readyz`, open to everyone). A broker that is
 * configured but not connected answers 503 `BUS_UNAVAILABLE` naming the bus: that comes
 * back as a disconnected bus with the problem's detail, not as a throw. Any other failure
 * (the store does not answer: 503 `STORE_UNAVAILABLE`) throws an {@link ApiError}.
 */
export async function getSystem(): Promise<SystemView> {
  try {
    const r = await json<ReadyAnswer>('/readyz');
    return { store: r.store, bus: r.bus ? { ...r.bus, problem: null } : null };
  } catch (e) {
    const p = (e instanceof ApiError ? e.body : null) as { store?: unknown; bus?: { kind?: unknown; target?: unknown } } | null;
    if (!(e instanceof ApiError) || e.code !== 'BUS_UNAVAILABLE' || !p?.bus) throw e;
    return {
      store: typeof p.store === 'string' ? p.store : null,
      bus: { kind: String(p.bus.kind ?? 'amqp'), connected: false, target: String(p.bus.target ?? ''), problem: e.detail },
    };
  }
}

/** The plugins registered over the event bus (admins only: 403 otherwise). */
export const listPlugins = (): Promise<PluginAnswer[]> => json<PluginAnswer[]>('/admin/v1/plugins');

/**
 * Exchanges credentials for a bearer token (`POST /admin/v1/tokens`) and keeps it. A wrong
 * password throws an {@link ApiError} whose `detail` is the server's ProblemDetails detail.
 */
export async function login(username: string, password: string): Promise<void> {
  const r = await json<Partial<TokenAnswer>>('/admin/v1/tokens', { ...post({ username, password }), anonymous: true });
  if (!r.access_token) throw new ApiError(500, 'NO_TOKEN', 'the server answered without a token', r);
  setToken(r.access_token);
}

/** Forgets the token (JWTs are stateless: there is nothing to revoke server-side). */
export const logout = (): void => setToken(null);

const eventsQuery = (nsInstanceId: string | undefined, withToken: boolean): string => {
  const q = new URLSearchParams();
  if (nsInstanceId) q.set('nsInstanceId', nsInstanceId);
  const t = getToken();
  if (withToken && t) q.set('access_token', t);
  const s = q.toString();
  return s ? `/api/events?${s}` : '/api/events';
};

/**
 * URL of the event stream. EventSource cannot send headers, so the token rides in the
 * query (`access_token`, RFC 6750 §2.3; the server accepts it on this path only).
 */
export const eventsUrl = (nsInstanceId?: string): string => eventsQuery(nsInstanceId, true);

/**
 * Why an EventSource gave up: it hides the status, so ask once with a plain request (the
 * token in the header) and stop reading at the headers. A 401 asks for a sign-in like any
 * other call; anything else is left to the stream state shown on the page.
 */
export async function probeEvents(nsInstanceId?: string): Promise<void> {
  const ac = new AbortController();
  try {
    await request(eventsQuery(nsInstanceId, false), { signal: ac.signal, headers: { accept: 'text/event-stream' } });
  } catch {
    // A 401 has already notified the listeners; other failures show as a closed stream.
  } finally {
    ac.abort();
  }
}
