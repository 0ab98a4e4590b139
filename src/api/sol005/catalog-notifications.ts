import type { FastifyBaseLogger } from 'fastify';
import type { NsdRecord, VnfdRecord } from '../../catalog/index.js';
import type { AppDeps } from '../app-deps.js';

/**
 * The SOL005 NSD management and VNF package management notifications of the catalog
 * routes, sent through the one notification service (monitoring's; none when monitoring is
 * not built). A notification that cannot be queued is logged, never fails the request: the
 * catalog change it reports has happened.
 */
export function catalogNotifications(deps: AppDeps, log: FastifyBaseLogger) {
  const n = deps.services.monitoring?.notifications;
  const guard = (what: string, p: Promise<void> | undefined) => p?.catch((err: unknown) => log.warn({ err }, `notification ${what} not queued`));
  const nsdRef = (r: NsdRecord) => ({ nsdInfoId: r.id, nsdId: r.nsdId, tenant: r.tenant });
  const pkgRef = (r: VnfdRecord) => ({ vnfPkgId: r.id, vnfdId: r.vnfdId, tenant: r.tenant });
  return {
    /** After an NSD upload: `NsdOnBoardingNotification`, or `NsdOnboardingFailureNotification` when it ended in ERROR. */
    async nsdUploaded(r: NsdRecord): Promise<void> {
      if (r.onboardingState === 'ONBOARDED' && r.nsdId) await guard('NsdOnBoarding', n?.publishNsdOnboarded({ ...nsdRef(r), nsdId: r.nsdId }));
      else if (r.onboardingState === 'ERROR') {
        await guard('NsdOnboardingFailure', n?.publishNsdOnboardingFailure(nsdRef(r), r.failureDetails ?? { status: 500, detail: 'on-boarding failed' }));
      }
    },
    /** `NsdChangeNotification` when PATCH changed the NSD's operational state. */
    async nsdChanged(before: NsdRecord, after: NsdRecord): Promise<void> {
      if (before.operationalState !== after.operationalState) await guard('NsdChange', n?.publishNsdChanged(nsdRef(after), after.operationalState));
    },
    async nsdDeleted(r: NsdRecord): Promise<void> {
      await guard('NsdDeletion', n?.publishNsdDeleted(nsdRef(r)));
    },
    /**
     * After a VNF package upload: `VnfPackageOnboardingNotification`. SOL005 v2.6.1 defines
     * no package on-boarding failure notification (§9.5.2): a failed upload shows only in
     * the package's `onboardingState` ERROR and `onboardingFailureDetails`.
     */
    async vnfPackageUploaded(r: VnfdRecord): Promise<void> {
      if (r.onboardingState === 'ONBOARDED' && r.vnfdId) await guard('VnfPackageOnboarding', n?.publishVnfPackageOnboarded({ ...pkgRef(r), vnfdId: r.vnfdId }));
    },
    /** `VnfPackageChangeNotification` OP_STATE_CHANGE when PATCH changed the operational state. */
    async vnfPackageChanged(before: VnfdRecord, after: VnfdRecord): Promise<void> {
      if (before.operationalState !== after.operationalState) {
        await guard('VnfPackageChange', n?.publishVnfPackageChanged(pkgRef(after), { changeType: 'OP_STATE_CHANGE', operationalState: after.operationalState }));
      }
    },
    /** `VnfPackageChangeNotification` PKG_DELETE. */
    async vnfPackageDeleted(r: VnfdRecord): Promise<void> {
      await guard('VnfPackageChange', n?.publishVnfPackageChanged(pkgRef(r), { changeType: 'PKG_DELETE' }));
    },
  };
}
