// Test-only: a strict reader of the Prometheus text exposition format (version 0.0.4), so tests
// assert on what a scraper would see instead of on prom-client internals. Not exported from index.ts.

/** One sample line: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed scrape. */
export interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Parses exposition text; throws on any line a Prometheus scraper would reject. */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { help: new Map(), type: new Map(), samples: [] };
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const name = meta[2] ?? '';
      const rest = meta[3] ?? '';
      if (meta[1] === 'HELP') out.help.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
      else out.type.set(name, rest);
      continue;
    }
    if (line.startsWith('#')) continue;
    out.samples.push(parseSample(line, i + 1));
  }
  return out;
}

function parseSample(line: string, lineNo: number): Sample {
  const fail = (why: string): never => {
    throw new Error(`exposition line ${lineNo}: ${why}: ${JSON.stringify(line)}`);
  };
  const name = NAME.exec(line)?.[0] ?? fail('no metric name');
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    while (line[pos] !== '}') {
      const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(pos))?.[0] ?? fail('bad label name');
      pos += labelName.length;
      if (line.slice(pos, pos + 2) !== '="') fail('expected ="');
      pos += 2;
      let value = '';
      for (;;) {
        const c = line[pos] ?? fail('unterminated label value');
        pos++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[pos] ?? fail('dangling escape');
          pos++;
          value += e === 'n' ? '\n' : e;
        } else value += c;
      }
      if (labelName in labels) fail(`duplicate label ${labelName}`);
      labels[labelName] = value;
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected , or }');
    }
    pos++;
  }
  if (line[pos] !== ' ') fail('expected a space before the value');
  const [rawValue] = line.slice(pos + 1).split(' ');
  // Prometheus parses values with Go's ParseFloat, whose Inf/NaN spellings are case-insensitive
  // (prom-client prints an idle event-loop mean as `Nan`).
  const special = (rawValue ?? '').toLowerCase();
  const value = special === '+inf' || special === 'inf' ? Infinity : special === '-inf' ? -Infinity : Number(rawValue);
  if (rawValue === undefined || rawValue === '' || (Number.isNaN(value) && special !== 'nan')) fail('bad value');
  return { name, labels, value };
}

/** The samples of one metric name. */
export function samplesOf(exp: Exposition, name: string): Sample[] {
  return exp.samples.filter((s) => s.name === name);
}

/** The value of the sample whose labels are exactly `labels`, or undefined when there is no such series. */
export function valueOf(exp: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return samplesOf(exp, name).find((s) => JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}
