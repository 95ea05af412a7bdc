// Which variant answers a request, in order of precedence:
// 1. the override header names a variant (any role: previews are reached only this way);
// 2. a version in the path (`/v2/models/m/versions/2/infer`) names the variant serving it;
// 3. a sticky key (header or field) is hashed onto the weighted variants (rendezvous);
// 4. otherwise a weighted random draw.
// Weights are the configured ones, with the canary's share replaced by its controller's.
import type { RuntimeConfig, Variant } from '../contract/config.js';
import { badRequest, notFound } from '../protocol/errors.js';
import type { CanaryController, CanaryState } from './canary.js';
import { rendezvous, weightedRandom, type SplitStrategy, type StrategyFactory } from './strategy.js';

export type AssignmentReason = 'override' | 'version' | 'sticky' | 'split';

export interface Assignment {
  readonly variant: Variant;
  readonly reason: AssignmentReason;
}

export interface RouteRequest {
  readonly override?: string | undefined;
  readonly version?: string | undefined;
  readonly key?: string | undefined;
}

export interface RouterOptions {
  readonly random?: () => number;
  readonly sticky?: StrategyFactory;
}

export class Router {
  readonly #config: RuntimeConfig;
  readonly #variants: ReadonlyMap<string, Variant>;
  readonly #canary: CanaryController | undefined;
  readonly #random: () => number;
  readonly #randomFactory: StrategyFactory;
  readonly #stickyFactory: StrategyFactory;
  readonly #shadow: Variant | undefined;
  #cachedFor: CanaryState | undefined | null = null;
  #split!: SplitStrategy;
  #sticky!: SplitStrategy;

  constructor(config: RuntimeConfig, canary?: CanaryController, options: RouterOptions = {}) {
    this.#config = config;
    this.#variants = new Map(config.variants.map((v) => [v.name, v]));
    this.#canary = canary;
    this.#random = options.random ?? Math.random;
    this.#randomFactory = weightedRandom(this.#random);
    this.#stickyFactory = options.sticky ?? rendezvous;
    this.#shadow = config.traffic.shadow ? this.#variants.get(config.traffic.shadow.variant) : undefined;
  }

  /** Effective percent per variant, after the canary controller. */
  weights(): Record<string, number> {
    const w = this.#config.traffic.weights;
    return this.#canary ? this.#canary.weights(w) : { ...w };
  }

  assign(req: RouteRequest): Assignment {
    if (req.override !== undefined) {
      const v = this.#variants.get(req.override);
      if (!v)
        throw badRequest(
          'unknown_variant',
          `override names unknown variant \`${req.override}\`; variants are ${[...this.#variants.keys()].join(', ')}`,
        );
      return { variant: v, reason: 'override' };
    }
    if (req.version !== undefined) {
      const v = this.#config.variants.find((x) => x.version === req.version);
      if (!v) throw notFound(`no variant serves version ${req.version}`);
      return { variant: v, reason: 'version' };
    }
    this.#refresh();
    if (req.key !== undefined) return { variant: this.#variants.get(this.#sticky.pick(req.key))!, reason: 'sticky' };
    return { variant: this.#variants.get(this.#split.pick(''))!, reason: 'split' };
  }

  /** The shadow variant if this request should be copied to it. */
  shadow(): Variant | undefined {
    const s = this.#config.traffic.shadow;
    return s && this.#shadow && this.#random() * 100 < s.percent ? this.#shadow : undefined;
  }

  /** Rebuilds the strategies when the canary moved (its states are replaced, never mutated). */
  #refresh(): void {
    const state = this.#canary?.state;
    if (state === this.#cachedFor) return;
    this.#cachedFor = state;
    const weighted = Object.entries(this.weights()).map(([name, weight]) => ({ name, weight }));
    this.#split = this.#randomFactory(weighted);
    this.#sticky = this.#stickyFactory(weighted);
  }
}
