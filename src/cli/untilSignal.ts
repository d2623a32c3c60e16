/** Resolves with the first stop signal: `weijiu serve` and the demo run until one arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    // SIGHUP too: a closed terminal, or npm passing on its own end, must still stop PostgreSQL.
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const done = (s: NodeJS.Signals) => {
      for (const sig of signals) process.off(sig, done);
      resolve(s);
    };
    for (const sig of signals) process.once(sig, done);
  });
}
