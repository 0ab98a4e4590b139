import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import type { CommandContext } from './cli-context.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';
import { opOutcome, shortTarget, watchOp } from './op-progress.js';
import type { OpView } from './op-progress.js';

const opPath = (id: string) => `/nslcm/v1/ns_lcm_op_occs/${encodeURIComponent(id)}`;

/** Prints one operation with its steps. */
export function printOp(ctx: CommandContext, op: OpView): void {
  if (ctx.json) return printJson(ctx.out, op);
  printFields(ctx.out, [
    ['id', op.id],
    ['type', op.lcmOperationType],
    ['state', op.operationState],
    ['nsInstanceId', op.nsInstanceId],
    ['started', op.startTime],
    ['stateSince', op.statusEnteredTime],
    ['error', op.error ? `${op.error.code ?? ''} ${op.error.detail ?? ''}`.trim() : null],
  ]);
  if (op.steps?.length) {
    ctx.out.out('');
    printTable(ctx.out, ['#', 'PHASE', 'KIND', 'TARGET', 'POP', 'STATE', 'ERROR'], op.steps.map((s) => [s.seq + 1, (s as { phase?: number }).phase, s.kind, shortTarget(s.target), s.popId, s.state, s.error?.detail ?? '']));
  }
}

/** Waits for an op (progress lines unless --json) and fails the command if it did not complete; returns the completed op. */
export async function followOp(ctx: CommandContext, opId: string, timeoutSeconds: number): Promise<OpView> {
  const op = await watchOp(ctx.client, ctx.out, opId, { timeoutSeconds, quiet: ctx.json });
  if (ctx.json) printJson(ctx.out, op);
  else ctx.out.out(`${op.lcmOperationType} ${op.id}: ${op.operationState}`);
  opOutcome(op);
  return op;
}

/** `rondo op list|show|watch|retry|rollback|fail|cancel` (SOL005 NS LCM operation occurrences). */
export function registerOpCommands(program: Command, out: Output): void {
  const op = program.command('op').description('NS lifecycle operations (LCM operation occurrences)');

  op.command('list')
    .description('list operations')
    .option('--ns <id>', 'only operations of this NS instance')
    .action(async (opts: { ns?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const q = opts.ns ? `?filter=${encodeURIComponent(`(eq,nsInstanceId,${opts.ns})`)}` : '';
      const list = await ctx.client.getAll<OpView>('listing operations', `/nslcm/v1/ns_lcm_op_occs${q}`);
      if (ctx.json) printJson(out, list);
      else printTable(out, ['ID', 'TYPE', 'STATE', 'NS INSTANCE', 'STARTED'], list.map((o) => [o.id, o.lcmOperationType, o.operationState, o.nsInstanceId, o.startTime]));
    });

  op.command('show')
    .description('show one operation with its steps')
    .argument('<id>', 'operation id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      printOp(ctx, await ctx.client.get<OpView>(`showing operation ${id}`, opPath(id)));
    });

  op.command('watch')
    .description('follow an operation until it rests, step by step')
    .argument('<id>', 'operation id')
    .option('--timeout <seconds>', 'give up waiting after this long', '600')
    .action(async (id: string, opts: { timeout: string }, cmd: Command) => void (await followOp(contextOf(cmd, out), id, Number(opts.timeout))));

  for (const [action, what] of [
    ['retry', 'retry a FAILED_TEMP operation from its failed steps'],
    ['rollback', 'undo what a FAILED_TEMP instantiation created'],
    ['cancel', 'cancel a running operation: no new step starts (--forceful: running steps are aborted too); it ends FAILED_TEMP'],
  ] as const) {
    const c = op.command(action)
      .description(what)
      .argument('<id>', 'operation id')
      .option('--wait', 'follow the operation until it rests')
      .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '600');
    if (action === 'cancel') c.option('--forceful', 'SOL005 FORCEFUL: abort the running steps instead of letting them finish');
    c.action(async (id: string, opts: { wait?: boolean; timeout: string; forceful?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.post(`${action} of operation ${id}`, `${opPath(id)}/${action}`, action === 'cancel' ? { cancelMode: opts.forceful ? 'FORCEFUL' : 'GRACEFUL' } : {});
      if (opts.wait) return void (await followOp(ctx, id, Number(opts.timeout)));
      if (ctx.json) printJson(out, { id, accepted: action });
      else out.out(`${action} of ${id} accepted; follow it with "rondo op watch ${id}"`);
    });
  }

  op.command('fail')
    .description('give up a FAILED_TEMP operation (FAILED, final)')
    .argument('<id>', 'operation id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      printOp(ctx, (await ctx.client.post<OpView>(`failing operation ${id}`, `${opPath(id)}/fail`, {})).body);
    });
}
