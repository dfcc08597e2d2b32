import { DevinApiError } from '../../relay/ports/devin-errors';
import { type Answer, DevinHttp, type Method, type Outgoing, parse } from '../http/devin-http';
import { refusal } from '../http/refusals';
import type { DevinClientOptions } from '../shared/client-options';
import type { DevinPermission } from './v3-permissions';
import { v3RefusedKey } from './v3-refusals';
import { v3Self } from './v3-schemas';

/** Who the token is (`GET /v3/self`). */
export interface DevinSelf {
  principalType?: string;
  serviceUserId?: string;
  serviceUserName?: string;
  orgId?: string;
}

/**
 * Requests under one organization of API v3 (`/v3/organizations/{org_id}/...`, a service user's `cog_` token): the
 * organization is `DEVIN_ORG_ID`, or the service user's own, read once from `GET /v3/self` (again after a failure).
 */
export class V3Organization {
  readonly http: DevinHttp;
  private org: Promise<string> | undefined;

  constructor(private readonly options: DevinClientOptions & { orgId?: string }) {
    this.http = new DevinHttp(options);
    if (options.orgId) this.org = Promise.resolve(options.orgId);
  }

  /** Whether the organization is known without asking Devin. */
  get known(): boolean {
    return this.org !== undefined;
  }

  /** The organization's id: `DEVIN_ORG_ID`, or the service user's own, read once (again after a failure). */
  orgId(): Promise<string> {
    this.org ??= this.self().then((self) => {
      if (self.orgId) return self.orgId;
      throw new DevinApiError(
        'GET /v3/self named no organization for DEVIN_API_KEY; set DEVIN_ORG_ID (org-...) to the organization to use',
        200,
      );
    });
    this.org.catch(() => {
      this.org = undefined;
    });
    return this.org;
  }

  async self(): Promise<DevinSelf> {
    const answer = await this.http.call('GET', '/v3/self');
    if (answer.status !== 200) throw this.refused('read who DEVIN_API_KEY is (GET /v3/self)', answer);
    const self = parse(v3Self, answer, 'GET /v3/self');
    return {
      ...(self.principal_type ? { principalType: self.principal_type } : {}),
      ...(self.service_user_id ? { serviceUserId: self.service_user_id } : {}),
      ...(self.service_user_name ? { serviceUserName: self.service_user_name } : {}),
      ...(self.org_id ? { orgId: self.org_id } : {}),
    };
  }

  /** `path` under `/v3/organizations/{org_id}` (or under `prefix` instead of `/v3`, such as `/v3beta1`). */
  async path(path: string, prefix = '/v3'): Promise<string> {
    return `${prefix}/organizations/${encodeURIComponent(await this.orgId())}${path}`;
  }

  /** A request under the organization: `path` is relative to `/v3/organizations/{org_id}`. */
  async call(method: Method, path: string, json?: unknown, options: { optional?: boolean } = {}): Promise<Answer> {
    const outgoing: Outgoing = { ...(json === undefined ? {} : { json }), ...options };
    return this.http.call(method, await this.path(path), outgoing);
  }

  refused(what: string, answer: Answer, permission?: DevinPermission): DevinApiError {
    return refusal(what, answer, {
      api: "Devin's API v3",
      refusedKey: () => v3RefusedKey(this.options.apiKey),
      ...(permission ? { permission } : {}),
    });
  }
}
