/** Someone in Slack, in their workspace. */
export interface DigestPerson {
  team: string;
  userId: string;
}

/** The Slack side of the digest: direct messages to one person, about the sessions they may see. */
export interface DigestPort {
  /** The daily digest: the sessions waiting for the person; false when none waits (nothing was sent). */
  sendDigest(person: DigestPerson): Promise<boolean>;
  /** A reminder that the session has waited for the person since `since`; false when they may not see it. */
  remind(person: DigestPerson, sessionId: string, since: number): Promise<boolean>;
}
