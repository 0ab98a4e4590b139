import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HotTemplate, HotTranslation } from './hot-template.js';
import type { HotTranslateOptions } from './translate-vnfd-to-hot.js';
import { translateVnfdToHot } from './translate-vnfd-to-hot.js';

/** Serialises a HOT template to YAML (block style, no line folding). */
export const hotToYaml = (t: HotTemplate): string => stringify(t, { lineWidth: 0, aliasDuplicateObjects: false });

/**
 * Translates the VNFD at `path` (imports resolved relative to it) and writes
 * `outDir/main.yaml` plus each nested template beside it (`<aspect>.hot.yaml`), so
 * `openstack stack create -t outDir/main.yaml` finds them. Creates `outDir` if needed.
 * Returns the written paths, main first, and the translation's warnings (with
 * `unsupported: 'warn'`). Backs `rondo vnfd translate --to heat`.
 *
 * @throws PackageInvalidError `HOT_UNSUPPORTED` / `HOT_INPUT_INVALID` (see translateVnfdToHot).
 */
export async function translateVnfdFile(path: string, outDir: string, opts: HotTranslateOptions = {}): Promise<{ written: string[]; warnings: NonNullable<HotTranslation['warnings']> }> {
  const { main, nested, warnings = [] } = translateVnfdToHot(path, opts);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const mainPath = join(outDir, 'main.yaml');
  await writeFile(mainPath, hotToYaml(main));
  written.push(mainPath);
  for (const [name, t] of Object.entries(nested)) {
    const p = join(outDir, name);
    await writeFile(p, hotToYaml(t));
    written.push(p);
  }
  return { written, warnings };
}
