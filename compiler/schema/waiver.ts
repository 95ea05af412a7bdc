// Exceptions to compliance policies, kept in Git: in the platform config (owned by the platform
// team) or in a system's spec. Each says which findings it covers, why, who approved it and
// until when; the review still shows waived findings, marked waived.
import { type Static, Type } from '@sinclair/typebox';
import { Closed } from '../../core/schema/typebox.js';

const DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

const WaiverFields = {
  policy: Type.String({
    pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$',
    description: 'The policy waived, by package path, e.g. `mlspec.safe_rollout`.',
  }),
  environment: Type.Optional(Type.String({ description: 'Only this environment (all when absent).' })),
  pointer: Type.Optional(
    Type.String({ description: 'Only findings at this JSON pointer of the spec (or below it), e.g. `/rollout`.' }),
  ),
  match: Type.Optional(Type.String({ minLength: 1, description: 'Only findings whose message contains this text.' })),
  justification: Type.String({ minLength: 20, description: 'Why the exception is acceptable (for auditors).' }),
  approvedBy: Type.String({ minLength: 1, description: 'Who approved it (name or e-mail).' }),
  expires: Type.String({
    pattern: DATE,
    description: 'Last day the waiver applies (YYYY-MM-DD, UTC); an expired waiver is a deny finding.',
  }),
};

export const SpecWaiver = Closed(WaiverFields, { description: 'An exception to a policy for this system.' });
export type SpecWaiver = Static<typeof SpecWaiver>;

export const PlatformWaiver = Closed(
  { system: Type.String({ minLength: 1, description: 'The system it applies to.' }), ...WaiverFields },
  { description: 'An exception to a policy for one system, granted by the platform team.' },
);
export type PlatformWaiver = Static<typeof PlatformWaiver>;
