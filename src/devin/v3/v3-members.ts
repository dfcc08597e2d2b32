import { parse } from '../http/devin-http';
import type { V3Organization } from './v3-organization';
import { v3Member, v3Page } from './v3-schemas';

/** The organization member with exactly this email (`/v3beta1/.../members/users?email=`), or undefined. */
export async function findMember(org: V3Organization, email: string): Promise<string | undefined> {
  const query = `?email=${encodeURIComponent(email)}&first=10`;
  const answer = await org.http.call('GET', await org.path(`/members/users${query}`, '/v3beta1'));
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw org.refused('look up an organization member', answer, 'ViewOrgMembership');
  const wanted = email.trim().toLowerCase();
  for (const item of parse(v3Page, answer, 'look up an organization member').items) {
    const member = v3Member.safeParse(item);
    if (member.success && (member.data.email ?? wanted).trim().toLowerCase() === wanted) return member.data.user_id;
  }
  return undefined;
}
