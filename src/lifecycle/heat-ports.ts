/**
 * Ports of the Heat path of the lifecycle: where HOT translations of VNFDs come from
 * (`HotSource`, implemented by the catalog, which can read packages) and the Heat verbs a
 * PoP's driver must offer to host VNFs as stacks (`HeatStackDriver`, met structurally by
 * the OpenStack driver). The core knows only these shapes.
 */
import { VimError } from '../model/index.js';
import type { Labels, VimDriver } from '../vim/vim-driver.js';

/** One HOT document as plain JSON (structurally the translator's `HotTemplate`). */
export interface HotDocument {
  heat_template_version: string;
  description?: string;
  parameters: Record<string, { type: string; description?: string; default?: unknown }>;
  resources: Record<string, { type: string; properties?: Record<string, unknown>; depends_on?: string[] }>;
  outputs: Record<string, { description?: string; value: unknown }>;
}

/** A VNFD translated to HOT: the main template plus nested ones by file name (Heat `files`). */
export interface HotBundle {
  readonly main: HotDocument;
  readonly nested: Readonly<Record<string, HotDocument>>;
}

/**
 * HOT translations of the VNFDs of an on-boarded NSD. Throws NotFoundError for an unknown
 * NSD, PackageInvalidError `HOT_UNSUPPORTED`/`HOT_INPUT_INVALID` when a VNFD has no faithful
 * Heat mapping, ConflictError `PLAN_HOT_UNAVAILABLE` when a member's VNFD is not SOL001.
 */
export interface HotSource {
  /** Translations keyed by member `vnfId`, for the members in `vnfIds` only. */
  getHots(nsdInfoId: string, vnfIds: readonly string[]): Promise<Readonly<Record<string, HotBundle>>>;
}

/** A Heat stack as the driver reports it. */
export interface HeatStackInfo {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly reason?: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * The Heat verbs of a driver (the OpenStack driver has them). `createStack` is idempotent
 * by name and returns at once; `waitStack` throws VimError (QUOTA, UNEXPECTED_RESPONSE with
 * Heat's reason, TIMEOUT); `deleteStack` waits until the stack is gone, missing is fine.
 * `listStacks`, when offered, finds stacks by label (tags) for termination; `imageId`
 * resolves image names (Heat's own lookup fails on names with `:` such as `vnf/x:latest`).
 */
export interface HeatStackDriver {
  createStack(name: string, template: string | object, files: Readonly<Record<string, string | object>>, params: Readonly<Record<string, unknown>>, labels: Labels, signal?: AbortSignal): Promise<HeatStackInfo>;
  waitStack(name: string, opts?: { deadlineMs?: number; signal?: AbortSignal }): Promise<HeatStackInfo>;
  deleteStack(name: string, opts?: { deadlineMs?: number; signal?: AbortSignal }): Promise<void>;
  listStacks?(labels: Labels, signal?: AbortSignal): Promise<readonly { readonly name: string }[]>;
  /**
   * Updates a stack in place with new parameter values (SCALE sets a scaling group's
   * capacity) and waits until it is UPDATE_COMPLETE and `done` holds; idempotent.
   */
  updateStack?(name: string, params: Readonly<Record<string, unknown>>, opts?: { deadlineMs?: number; signal?: AbortSignal; done?: (s: HeatStackInfo) => boolean }): Promise<HeatStackInfo>;
  /** The image's VIM id (undefined: no such active image); stacks then boot by id. */
  imageId?(image: string, signal?: AbortSignal): Promise<string | undefined>;
}

const HEAT_VERBS = ['createStack', 'waitStack', 'deleteStack'] as const;

/**
 * The driver's Heat verbs. Checked structurally because `VimCapabilities` has no `heat`
 * flag yet (the OpenStack driver offers the verbs as plain methods).
 * @throws VimError NOT_SUPPORTED when the PoP's driver cannot run Heat stacks.
 */
export function heatDriverOf(driver: VimDriver, popId: string): HeatStackDriver {
  const d = driver as unknown as Record<string, unknown>;
  if (HEAT_VERBS.every((v) => typeof d[v] === 'function')) return driver as unknown as HeatStackDriver;
  throw new VimError('NOT_SUPPORTED', driver.name, `PoP ${popId} (${driver.name}) cannot run Heat stacks; place the VNF on an OpenStack PoP`);
}
