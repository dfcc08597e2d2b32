import { refusalSentence } from '../../relay/access-policy';
import { type CommandContext, tell } from './command-context';
import { resolveTarget } from './session-target';

/** `/devin allow|deny <session> @person`: who besides its starter may steer a session's threads. */
export async function changeSteerers(ctx: CommandContext, rawTarget: string, userId: string, add: boolean) {
  const target = await resolveTarget(ctx, rawTarget);
  if (target.kind === 'problem') return tell(ctx, target.sentence);
  const view = await ctx.deps.sessionAccess.view(ctx, target.sessionId);
  if (view.kind === 'hidden' || view.bindings.length === 0) {
    return tell(
      ctx,
      `No thread you can see is bound to \`${target.sessionId}\`, so there is nobody to ${add ? 'allow' : 'deny'} there.`,
    );
  }
  const { policy } = ctx.deps.access;
  const managed = view.bindings.filter((binding) => policy.mayManage(view.actor, binding).ok);
  const refused = policy.mayManage(view.actor, view.bindings[0] ?? {});
  if (managed.length === 0 && !refused.ok) {
    await ctx.deps.access.refuse(
      { ...ctx, sessionId: target.sessionId, action: add ? 'allow' : 'deny' },
      refused.refusal,
    );
    return tell(ctx, refusalSentence(refused.refusal));
  }
  for (const binding of managed) await ctx.deps.sessions.setAllowed(binding, userId, add);
  for (const binding of managed) {
    ctx.deps.audit.record({
      action: add ? 'allow' : 'deny',
      outcome: 'done',
      user_id: ctx.userId,
      team_id: ctx.team,
      channel_id: binding.channel,
      thread_ts: binding.threadTs,
      session_id: target.sessionId,
      target_user_id: userId,
    });
  }
  const who = `<@${userId}>`;
  const open = managed.some((binding) => (binding.policy ?? policy.defaultSteerPolicy) !== 'starter');
  return tell(
    ctx,
    add
      ? `${who} may now steer this session from its thread.${open ? ' (Its thread is open to anyone allowed here anyway.)' : ''}`
      : `${who} may no longer steer this session, unless the policy lets everyone.`,
  );
}
