/** Just enough of a Dockerfile reader to check what the image's runtime stage contains. */

/** Instructions with their `\` continuations joined. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The text of the last stage (from its FROM on): what the image runs. */
export function runtimeStage(dockerfile: string): string {
  const lines = dockerfile.split(/\r?\n/);
  const froms = lines.flatMap((line, index) => (/^FROM\s/i.test(line) ? [index] : []));
  return lines.slice(froms.at(-1) ?? 0).join('\n');
}

export interface CopyLine {
  /** The stage copied from (`--from=`), or null for the build context. */
  from: string | null;
  sources: string[];
  destination: string;
}

/** The runtime stage's COPY instructions (shell form only; flags other than --from are ignored). */
export function runtimeCopies(dockerfile: string): CopyLine[] {
  return instructions(runtimeStage(dockerfile))
    .filter((line) => /^COPY\s/i.test(line))
    .map((line) => {
      const words = line.split(/\s+/).slice(1);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--'));
      if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${line}`);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
    });
}

/** The runtime stage's WORKDIR (where relative COPY destinations land). */
export function runtimeWorkdir(dockerfile: string): string {
  return /^WORKDIR\s+(\S+)/m.exec(runtimeStage(dockerfile))?.[1] ?? '/';
}
