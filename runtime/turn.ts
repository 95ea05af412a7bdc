// The end of the current event-loop turn, as one promise shared by everyone who asks during the
// turn. The server writes answers that became ready in the same turn back to back at this point
// (see server.ts).
let pending: Promise<void> | undefined;

/** Resolves in the check phase of this turn, after the I/O callbacks of the turn have run. */
export function endOfTurn(): Promise<void> {
  return (pending ??= new Promise((resolve) =>
    setImmediate(() => {
      pending = undefined;
      resolve();
    }),
  ));
}
