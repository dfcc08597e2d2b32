import type { DevinApiVersion, DevinConfig } from '../config/config-types';
import type { CheckResult } from '../lib/check-result';
import type { DevinApi } from '../relay/ports/devin';
import type { DevinClientOptions } from './shared/client-options';
import { DevinV1Client } from './v1/devin-v1-client';
import { v1Checks } from './v1/v1-checks';
import { DevinV3Client } from './v3/devin-v3-client';
import { v3Checks } from './v3/v3-checks';

/** One of Devin's APIs: how it is named, its client, and the doctor's checks of it. */
export interface DevinVersion {
  /** As the doctor and the start-up line name it: `Devin's API v3`. */
  label: string;
  create(devin: DevinConfig, options: DevinClientOptions): DevinApi;
  /** The doctor's checks: the key, and whatever else the version needs (an organization, permissions). */
  checks(devin: DevinConfig, options: DevinClientOptions, deadlineMs: number): Promise<CheckResult[]>;
}

/**
 * Every API version the app speaks, by the name `DEVIN_API_VERSION` gives it. Another version is one more entry here,
 * with its adapter in a folder of its own, and its name in the configuration.
 */
export const DEVIN_VERSIONS: Record<DevinApiVersion, DevinVersion> = {
  v1: {
    label: "Devin's API v1",
    create: (_devin, options) => new DevinV1Client(options),
    checks: (_devin, options, deadlineMs) => v1Checks(options, deadlineMs),
  },
  v3: {
    label: "Devin's API v3",
    create: (devin, options) => new DevinV3Client({ ...options, ...(devin.orgId ? { orgId: devin.orgId } : {}) }),
    checks: (devin, options, deadlineMs) =>
      v3Checks({ ...options, ...(devin.orgId ? { orgId: devin.orgId } : {}) }, deadlineMs, {
        actAsSlackUser: devin.actAsSlackUser,
      }),
  },
};
