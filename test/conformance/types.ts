/**
 * One NFV-TST010 (SOL005 v2.6.1) conformance case, restated as a data row: what must exist
 * first, the request, and what the answer must show. The rows are written from what each
 * ETSI Robot test checks, in our own words; none of ETSI's text or code is copied.
 */

/** The five SOL005 APIs Rondo serves. */
export type ApiName = 'nsd' | 'vnfpkgm' | 'nslcm' | 'nsfm' | 'nspm';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a case needs before its request; see `SETUPS` in fixture.ts for what each one makes
 * through the public API. A setup named `fresh…` is made anew for its case (the case
 * consumes or changes it); the others are made once and shared.
 */
export type SetupName =
  | 'none'
  | 'onboardedNsd'
  | 'freshOnboardedNsd'
  | 'freshDisabledNsd'
  | 'freshCreatedNsd'
  | 'createdNsd'
  | 'multiFileNsd'
  | 'onboardedPnfd'
  | 'freshOnboardedPnfd'
  | 'createdPnfd'
  | 'freshCreatedPnfd'
  | 'onboardedPkg'
  | 'freshDisabledPkg'
  | 'createdPkg'
  | 'freshCreatedPkg'
  | 'singleFileVnfdPkg'
  | 'nsdSubscription'
  | 'freshNsdSubscription'
  | 'pkgSubscription'
  | 'freshPkgSubscription'
  | 'notInstantiatedNs'
  | 'freshNotInstantiatedNs'
  | 'instantiatedNs'
  | 'freshInstantiatedNs'
  | 'completedOp'
  | 'freshFailedTempOp'
  | 'processingOp'
  | 'lcmSubscription'
  | 'freshLcmSubscription'
  | 'alarm'
  | 'freshAlarm'
  | 'acknowledgedAlarm'
  | 'fmSubscription'
  | 'freshFmSubscription'
  | 'pmJob'
  | 'freshPmJob'
  | 'pmReport'
  | 'threshold'
  | 'freshThreshold'
  | 'nsdPage'
  | 'pnfdPage'
  | 'thresholdPage'
  | 'crossedThreshold'
  | 'pmSubscription'
  | 'freshPmSubscription';

/** Values a setup made, substituted for `{name}` in paths, headers and bodies. */
export type Vars = Readonly<Record<string, string>>;

/** A body: JSON, a named file the fixture holds (a package, a descriptor), or built from the vars. */
export type Body = { readonly json: unknown } | { readonly file: 'csar' | 'tango' | 'pnfdYaml' | 'nsdYaml' | 'badYaml' | 'junk' | 'freshCsar' | 'freshVnfCsar'; readonly contentType: string } | { readonly build: (v: Vars) => unknown };

export interface ConformanceCase {
  /** The Test ID of the NFV-TST010 case (the suite reuses a few; `title` tells them apart). */
  readonly id: string;
  readonly api: ApiName;
  /** The Robot file the case comes from (without `.robot`). */
  readonly file: string;
  /** What the case checks, in our words. */
  readonly title: string;
  readonly setup: SetupName;
  readonly method: Method;
  /** Path with `{var}` placeholders (`{missing}` is an id that names nothing). */
  readonly path: string;
  /** Request headers beyond `Accept: application/json` and the bearer token. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Body;
  /** `none`: no Authorization header; `bad`: a bearer token that is not one. Default: a valid admin token. */
  readonly auth?: 'none' | 'bad';
  readonly expect: Expectation;
  /**
   * Set when the case cannot reach a verdict here by design: the reason (an optional
   * NFVO behaviour the suite makes conditional, and that Rondo does the other way).
   */
  readonly noVerdict?: string;
}

export interface Expectation {
  /** The status, or the statuses any of which is right (a notification case whose trigger may answer either). */
  readonly status: number | readonly number[];
  /** Headers that must be present (lower case). */
  readonly headers?: readonly string[];
  /** The Content-Type must start with one of these. */
  readonly contentType?: readonly string[];
  /** Response body schema: an id known to the schema registry (`ProblemDetails`, `NsdInfo[]`, …). */
  readonly schema?: string;
  /** The body must be empty. */
  readonly emptyBody?: boolean;
  /** Further checks on the answer and the world after it; return a failure reason or nothing. */
  readonly check?: (r: Answer, ctx: CheckContext) => string | undefined | Promise<string | undefined>;
}

/** The answer to a replayed request. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
  readonly raw: Buffer;
  json(): unknown;
}

/** What a check may use: the case's vars, a GET on the server, the notifications the subscriptions' callback received. */
export interface CheckContext {
  readonly vars: Vars;
  get(path: string, headers?: Readonly<Record<string, string>>): Promise<Answer>;
  /** Waits (bounded) for a notification of `type` that `match` accepts; undefined if none came. */
  notification(type: string, match: (n: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  /** The violations of `body` against a named schema. */
  violations(schema: string, body: unknown): string[];
}

export type Verdict = 'PASS' | 'FAIL' | 'NO-VERDICT';

export interface CaseResult {
  readonly case: ConformanceCase;
  readonly verdict: Verdict;
  /** Why it failed or why no verdict. */
  readonly reason?: string;
  /** Wall time of the setup and the request, in ms (for finding slow cases). */
  readonly ms?: number;
}
