/**
 * Reads a Dockerfile into stages and steps with dockerfile-ast, the parser behind the dockerfile-utils linter, so the
 * policy checks and the build replay see exactly the instructions the linter saw (continuations, comments inside
 * them, flags, JSON forms). Variables are expanded only in FROM, from the global ARG defaults.
 */
import { createRequire } from 'node:module';

/** One instruction of a stage. */
export interface Step {
  /** Upper-case keyword (`RUN`, `COPY`, …). */
  keyword: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** Words after the flags, as written (quotes kept, variables not expanded). */
  args: string[];
  /** Everything after the keyword with line continuations joined: what a shell-form RUN hands to `/bin/sh -c`. */
  text: string;
  /** `--name=value` flags (`COPY --from=build`); a flag without a value maps to null. */
  flags: Record<string, string | null>;
  /** The JSON array of an exec-form instruction (ENTRYPOINT, CMD, RUN, …), undefined for the shell form. */
  json: string[] | undefined;
  /** `name=value` pairs of ARG, ENV and LABEL, unquoted. */
  properties: Array<[string, string | null]>;
}

/** A build stage: one FROM and the steps up to the next. */
export interface Stage {
  /** Position among the stages, from 0. */
  index: number;
  /** The `AS name`, if any. */
  name: string | undefined;
  /** The base image with the global ARG defaults substituted. */
  image: string;
  /** The FROM instruction itself. */
  from: Step;
  steps: Step[];
}

/** A parsed Dockerfile. */
export interface DockerfileModel {
  /** Global ARGs (before the first FROM) and their defaults. */
  args: Map<string, string | null>;
  stages: Stage[];
}

// The slice of dockerfile-ast's API used here (its classes, typed structurally: the package is a dependency of
// dockerfile-utils, not of this project, so it is loaded through dockerfile-utils' own resolution).
interface AstValue {
  getValue(): string;
}
interface AstProperty {
  getName(): string;
  getValue(): string | null;
}
interface AstFlag {
  getName(): string;
  getValue(): string | null;
}
interface AstInstruction {
  getKeyword(): string;
  getRange(): { start: { line: number } };
  getArguments(): AstValue[];
  getArgumentsContent(): string | null;
  getFlags?(): AstFlag[];
  getJSONStrings?(): Array<{ getJSONValue(): string }>;
  getOpeningBracket?(): unknown;
  getProperties?(): AstProperty[];
  getProperty?(): AstProperty | null;
  getImage?(): string | null;
  getBuildStage?(): string | null;
}
interface AstDockerfile {
  getInstructions(): AstInstruction[];
  getInitialARGs(): AstInstruction[];
}
interface DockerfileAst {
  DockerfileParser: { parse(content: string): AstDockerfile };
}

const fromUtils = createRequire(createRequire(import.meta.url).resolve('dockerfile-utils'));
const ast = fromUtils('dockerfile-ast') as DockerfileAst;

function toStep(i: AstInstruction): Step {
  const json = i.getOpeningBracket?.() ? (i.getJSONStrings?.() ?? []).map((s) => s.getJSONValue()) : undefined;
  const properties = i.getProperties?.() ?? (i.getProperty?.() ? [i.getProperty()!] : []);
  return {
    keyword: i.getKeyword().toUpperCase(),
    line: i.getRange().start.line + 1,
    args: i.getArguments().map((a) => a.getValue()),
    text: i.getArgumentsContent() ?? '',
    flags: Object.fromEntries((i.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue()])),
    json,
    properties: properties.map((p) => [p.getName(), p.getValue()]),
  };
}

/** Replaces `$NAME` and `${NAME}` with the global ARG defaults; an unknown or valueless ARG is an error. */
export function expandArgs(text: string, args: ReadonlyMap<string, string | null>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = args.get(name);
    if (value === undefined || value === null) throw new Error(`Dockerfile: FROM uses "${name}", which no global ARG gives a default`);
    return value;
  });
}

/** Parses Dockerfile text into its global ARGs and stages. */
export function parseDockerfile(text: string): DockerfileModel {
  const parsed = ast.DockerfileParser.parse(text);
  const args = new Map<string, string | null>();
  for (const a of parsed.getInitialARGs()) for (const [name, value] of toStep(a).properties) args.set(name, value);
  const stages: Stage[] = [];
  for (const instruction of parsed.getInstructions()) {
    const step = toStep(instruction);
    if (step.keyword === 'FROM') {
      const image = instruction.getImage?.();
      if (!image) throw new Error(`Dockerfile line ${step.line}: FROM without an image`);
      stages.push({ index: stages.length, name: instruction.getBuildStage?.() ?? undefined, image: expandArgs(image, args), from: step, steps: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.steps.push(step);
    } else if (step.keyword !== 'ARG') {
      throw new Error(`Dockerfile line ${step.line}: ${step.keyword} before the first FROM`);
    }
  }
  return { args, stages };
}
