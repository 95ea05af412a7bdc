// Who may pick a variant by hand (the override header, or a version path that names a preview
// or shadow variant). Overrides are test traffic: they bypass the split, and a handful of them
// must not decide a canary. They are off unless the config has `traffic.override`; then a
// request must pass every check configured there: the shared secret in its header (compared in
// constant time) and/or a client address within the allowed ranges.
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { OverrideAccess } from '../contract/config.js';
import { DEFAULT_OVERRIDE_SECRET_HEADER } from '../contract/constants.js';
import { HttpError } from '../protocol/errors.js';

export interface Caller {
  /** A request header by lower-case name. */
  readonly header: (name: string) => string | undefined;
  /** The peer's address as the socket reports it. */
  readonly address: string | undefined;
}

export class OverrideGuard {
  readonly #secret: Buffer | undefined;
  readonly #secretHeader: string;
  readonly #sources: BlockList | undefined;

  /** `secret` is the content of `secretFile`, read by the caller (a config reload reads it again). */
  constructor(
    readonly access: OverrideAccess | undefined,
    secret: string | undefined,
  ) {
    this.#secret = secret === undefined ? undefined : Buffer.from(secret.trim());
    this.#secretHeader = (access?.secretHeader ?? DEFAULT_OVERRIDE_SECRET_HEADER).toLowerCase();
    if (access?.allowSources) {
      const list = new BlockList();
      for (const cidr of access.allowSources) {
        const [net, bits] = cidr.split('/') as [string, string];
        list.addSubnet(net, Number(bits), isIPv6(net) ? 'ipv6' : 'ipv4');
      }
      this.#sources = list;
    }
  }

  /** Throws 403 unless this caller may override the split. */
  check(caller: Caller, what: string): void {
    if (!this.access)
      throw forbidden(
        `${what} is not enabled on this server`,
        'overrides are off: the config has no `traffic.override`',
      );
    if (this.#secret) {
      const given = Buffer.from(caller.header(this.#secretHeader) ?? '');
      if (given.length !== this.#secret.length || !timingSafeEqual(given, this.#secret))
        throw forbidden(`${what} needs the override secret`, `send it in the \`${this.#secretHeader}\` header`);
    }
    if (this.#sources && !this.#allowed(caller.address))
      throw forbidden(`${what} is not allowed from ${caller.address ?? 'an unknown address'}`, 'see allowSources');
  }

  #allowed(address: string | undefined): boolean {
    if (!address) return false;
    // An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d.
    const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
    if (isIPv4(v4)) return this.#sources!.check(v4, 'ipv4');
    return isIPv6(address) && this.#sources!.check(address, 'ipv6');
  }
}

function forbidden(message: string, hint: string): HttpError {
  return new HttpError(403, 'override_forbidden', `${message}: ${hint}`);
}
