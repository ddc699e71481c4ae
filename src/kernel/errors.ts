/**
 * A kernel verb refused, as the real command would (`RTNETLINK answers: File exists`).
 * Not a bug and not a packet fate: the caller (a CNI plugin, the scenario builder) turns it into
 * a diagnostic. The message is the one the real tool prints, so users recognise it.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    /** The command that failed, as a user would type it (`ip route add 10.0.0.0/8 dev eth0`). */
    readonly command: string,
    /** What iproute2 prints (`RTNETLINK answers: File exists`). */
    readonly answer: string,
  ) {
    super(`${command}: ${answer}`);
  }
}
