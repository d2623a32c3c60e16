/**
 * The hub's real command line (`bin/weijiu`) as a child process of the test, in a workspace:
 * run to the end, or started and then signalled (SIGTERM, SIGKILL) while it works.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HubWorkspace } from './hubWorkspace';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'weijiu');

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** what it has printed so far */
  stdout(): string;
  stderr(): string;
  /** resolves when the process has exited */
  exited: Promise<CliOutcome>;
  kill(signal: NodeJS.Signals): void;
}

/** processes started and not yet ended: a test that fails half-way must not leave them running */
const running = new Set<ChildProcess>();

export function startWeijiu(args: string[], workspace: HubWorkspace, databaseUrl: string): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: workspace.dir,
    env: workspace.env(databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<CliOutcome>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: (signal) => {
      child.kill(signal);
    },
  };
}

/** Kills (SIGKILL) every `weijiu` process a test started that is still running, and waits for them to end. */
export async function killLeftovers(): Promise<void> {
  const left = [...running];
  await Promise.all(left.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')))));
}

/** Runs `weijiu …` to its end; a process still running after `timeoutMs` is killed and the test fails. */
export async function runWeijiu(args: string[], workspace: HubWorkspace, databaseUrl: string, timeoutMs = 150_000): Promise<CliOutcome> {
  const cli = startWeijiu(args, workspace, databaseUrl);
  const timer = setTimeout(() => cli.kill('SIGKILL'), timeoutMs);
  try {
    const outcome = await cli.exited;
    if (outcome.signal === 'SIGKILL') throw new Error(`weijiu ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${outcome.stdout}\n${outcome.stderr}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** The summary line `weijiu sync` printed for a connector: its status and, on the next line, its error. */
export function summaryOf(stdout: string, connector: string): { status: string; error: string | null } | null {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${connector}: `));
  if (at < 0) return null;
  const status = /^[^:]+: (\w+)/.exec(lines[at])![1];
  const next = lines[at + 1] ?? '';
  return { status, error: next.startsWith('  error: ') ? next.slice('  error: '.length) : null };
}
