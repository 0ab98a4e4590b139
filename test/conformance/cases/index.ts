import type { ConformanceCase } from '../types.js';
import { NSD_CASES } from './nsd.js';
import { NSFM_CASES } from './nsfm.js';
import { NSLCM_CASES } from './nslcm.js';
import { NSPM_CASES } from './nspm.js';
import { VNFPKGM_CASES } from './vnfpkgm.js';

/** The whole table, API by API. */
export const ALL_CASES: readonly ConformanceCase[] = [...NSD_CASES, ...VNFPKGM_CASES, ...NSLCM_CASES, ...NSFM_CASES, ...NSPM_CASES];
