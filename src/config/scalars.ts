/**
 * Scalar parsing with the same rules k8s-copycat's Go code applies (strconv.ParseBool, strconv.Atoi,
 * time.ParseDuration), so an env value that worked there means the same thing here.
 */

const GO_TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's `strconv.ParseBool`: exactly `1 t T TRUE true True` / `0 f F FALSE false False`, else undefined. */
export function parseGoBool(text: string): boolean | undefined {
  if (GO_TRUE.has(text)) return true;
  if (GO_FALSE.has(text)) return false;
  return undefined;
}

// YAML 1.1 booleans (what sigs.k8s.io/yaml reads in the file) plus ParseBool's words, any case.
const FILE_TRUE: ReadonlySet<string> = new Set(['y', 'yes', 'true', 'on', '1', 't']);
const FILE_FALSE: ReadonlySet<string> = new Set(['n', 'no', 'false', 'off', '0', 'f']);

/**
 * A boolean written in the config file: the YAML 1.1 words upstream's parser turns into booleans
 * (`yes/no/on/off/y/n/true/false`) and ParseBool's `1/0/t/f`, case-insensitively; else undefined.
 */
export function parseFileBool(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (FILE_TRUE.has(lower)) return true;
  if (FILE_FALSE.has(lower)) return false;
  return undefined;
}

const DECIMAL = /^[+-]?[0-9]+$/;

/**
 * Go's `strconv.Atoi`: an optional sign and decimal digits, nothing else (no blanks, no `_`, no
 * `0x`). Undefined when the text is not such a number or does not fit a safe JavaScript integer
 * (where Atoi would report "value out of range" past int64).
 */
export function parseGoInt(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/y;

/**
 * Go's `time.ParseDuration` (`90s`, `1h30m`, `1.5h`, `-2m`, `0`) in milliseconds, rounded up to a
 * whole millisecond; undefined when the text is not a Go duration.
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < rest.length) {
    const m = DURATION_PART.exec(rest);
    if (!m) return undefined;
    const [, num = '', unit = ''] = m;
    const perUnit = UNIT_MS[unit];
    if (num === '' || num === '.' || perUnit === undefined) return undefined;
    total += Number(num) * perUnit;
  }
  if (!Number.isFinite(total)) return undefined;
  return sign * Math.ceil(total);
}

/**
 * A duration setting: a whole number in the setting's own unit (`300` seconds, as upstream reads
 * it) or, as an extension, a Go duration string (`5m`, `90s`). Milliseconds, or undefined when it
 * is neither.
 */
export function parseDurationSetting(text: string, unitMs: number): number | undefined {
  const whole = parseGoInt(text);
  if (whole !== undefined) return whole * unitMs;
  return parseGoDuration(text);
}
