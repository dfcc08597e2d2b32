import type { V3Organization } from './v3-organization';

/** Insights shown at most, as sentences. */
const MOST = 5;

/**
 * Devin's insights on a session (`GET .../sessions/{devin_id}/insights`), as short sentences: the classification, then
 * the issues and action items of its `analysis`. Undefined when Devin has none or the organization does not allow
 * reading them (403, 404): a missing feature is no error. Another failure is thrown, for the caller to log.
 */
export async function readInsights(org: V3Organization, sessionId: string): Promise<string[] | undefined> {
  const answer = await org.call('GET', `/sessions/${encodeURIComponent(sessionId)}/insights`, undefined, {
    optional: true,
  });
  if (answer.status === 401 || answer.status === 403 || answer.status === 404) return undefined;
  if (answer.status !== 200) throw org.refused('read the session insights', answer, 'ViewOrgSessions');
  const analysis = record(record(answer.body).analysis);
  const category = record(analysis.classification).category;
  const sentences = [
    ...(typeof category === 'string' && category.trim() ? [`Category: ${category.trim()}`] : []),
    ...texts(analysis.issues).map((text) => `Issue: ${text}`),
    ...texts(analysis.action_items).map((text) => `Action item: ${text}`),
  ];
  return sentences.length > 0 ? sentences.slice(0, MOST) : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The words of a list whose items are strings or objects with a text field (their shape is not documented). */
function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return item.trim() ? [item.trim()] : [];
    const fields = record(item);
    const text = [fields.description, fields.title, fields.text, fields.summary].find((t) => typeof t === 'string');
    return typeof text === 'string' && text.trim() ? [text.trim()] : [];
  });
}
