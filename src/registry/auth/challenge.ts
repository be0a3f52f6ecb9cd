/** One authentication challenge from a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** Lower-case scheme: `bearer`, `basic`, or whatever else the server offered. */
  scheme: string;
  /** Auth parameters with lower-case names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

/**
 * Parses `WWW-Authenticate` values into challenges. One header may carry several challenges
 * (`Negotiate, Bearer realm="…"`), and parameter values may be quoted strings containing commas.
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) out.push(...parseOne(value));
  return out;
}

function parseOne(input: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  let current: Challenge | undefined;
  const n = input.length;
  const skipSpace = (): void => {
    while (i < n && (input[i] === ' ' || input[i] === '\t' || input[i] === ',')) i++;
  };
  while (i < n) {
    skipSpace();
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(input[i] ?? '')) i++;
    const token = input.slice(start, i);
    if (token === '') {
      i++;
      continue;
    }
    let j = i;
    while (j < n && input[j] === ' ') j++;
    if (input[j] === '=' ) {
      // auth-param: token "=" ( token / quoted-string )
      i = j + 1;
      while (i < n && input[i] === ' ') i++;
      let value = '';
      if (input[i] === '"') {
        i++;
        while (i < n && input[i] !== '"') {
          if (input[i] === '\\' && i + 1 < n) i++;
          value += input[i];
          i++;
        }
        i++;
      } else {
        const vs = i;
        while (i < n && input[i] !== ',' && input[i] !== ' ') i++;
        value = input.slice(vs, i);
      }
      if (current) current.params[token.toLowerCase()] = value;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

/** Picks the first challenge we can answer (bearer or basic), skipping ones like `Negotiate`. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer' || c.scheme === 'basic');
}
