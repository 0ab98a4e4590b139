// The store as PNFD management uses it: a port the catalog owns, implemented by
// `src/store` (`pnfdRepository`) and handed over by whoever builds the PNFD service.
import type { ProblemDetails } from '../model/index.js';
import type { OnboardingState, UsageState } from './catalog-states.js';

/** A PNFD (SOL005 PnfdInfo) and its TOSCA file once uploaded. */
export interface PnfdRecord {
  readonly id: string;
  readonly tenant: string;
  readonly pnfdId: string | null;
  readonly name: string | null;
  readonly version: string | null;
  readonly provider: string | null;
  readonly invariantId: string | null;
  readonly onboardingState: OnboardingState;
  readonly usageState: UsageState;
  readonly userDefinedData: Record<string, unknown>;
  readonly failureDetails: ProblemDetails | null;
  readonly fileName: string | null;
  readonly content: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What an upload writes: the outcome of on-boarding. */
export type PnfdOnboarding =
  | { readonly state: 'ONBOARDED'; readonly pnfdId: string; readonly name: string; readonly version: string; readonly provider: string; readonly invariantId: string; readonly fileName: string; readonly content: string }
  | { readonly state: 'ERROR'; readonly failure: ProblemDetails };

/** PNFD rows. */
export interface PnfdRepository {
  insert(r: PnfdRecord): Promise<PnfdRecord>;
  get(id: string): Promise<PnfdRecord | undefined>;
  /** One tenant's, or every tenant's without `tenant`, oldest first. */
  list(tenant?: string): Promise<PnfdRecord[]>;
  /** Moves CREATED → the outcome; undefined when the PNFD is not CREATED any more (someone else uploaded). */
  completeUpload(id: string, outcome: PnfdOnboarding, at: Date): Promise<PnfdRecord | undefined>;
  setUserDefinedData(id: string, data: Record<string, unknown>, at: Date): Promise<PnfdRecord | undefined>;
  /** Deletes when NOT_IN_USE; false when missing or in use. */
  deleteUnused(id: string): Promise<boolean>;
}
