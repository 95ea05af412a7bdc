// Importing this module fills the builtin table: one import per domain file.
import './core.js';
import './comparison.js';
import './arithmetic.js';
import './set-operators.js';
import './count.js';

export { allBuiltins, lookupBuiltin, unimplementedBuiltins } from './table.js';
