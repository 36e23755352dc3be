// Applies a unified diff (as `git diff` writes it) to a directory, strictly: every hunk's context
// and removed lines must match the file exactly at the line the hunk names (after the shift of the
// hunks before it). No fuzz, no offset search: the patched source is pinned (go.sum), so anything
// but an exact match means the patch or the source is not what we think, and the build stops.
// Plain Node, so the build needs neither `patch` nor git.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {{ oldStart: number, oldCount: number, newStart: number, newCount: number,
 *             lines: string[], noNewlineOld: boolean, noNewlineNew: boolean }} Hunk
 * @typedef {{ oldPath: string | null, newPath: string | null, hunks: Hunk[] }} FilePatch
 */

/** @param {string} text @returns {FilePatch[]} */
function parseUnifiedDiff(text) {
  // Go sources have no CR: a patch checked out with CRLF line ends reads the same.
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  /** @type {FilePatch[]} */
  const files = [];
  /** @type {FilePatch | undefined} */
  let file;
  /** @type {Hunk | undefined} */
  let hunk;
  let oldLeft = 0;
  let newLeft = 0;
  const stripPrefix = (/** @type {string} */ p) => {
    const name = p.split('\t')[0];
    if (name === '/dev/null') return null;
    return name.replace(/^[ab]\//, '');
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('\\')) {
      // "\ No newline at end of file" belongs to the line before it.
      const prev = hunk?.lines.at(-1);
      if (!hunk || !prev) throw new Error(`patch line ${i + 1}: stray ${line}`);
      if (prev[0] !== '+') hunk.noNewlineOld = true;
      if (prev[0] !== '-') hunk.noNewlineNew = true;
      continue;
    }
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      // An empty line is an empty context line whose leading space an editor trimmed.
      const tag = line === '' ? ' ' : line[0];
      const body = line.slice(1);
      if (tag === ' ') {
        oldLeft--;
        newLeft--;
      } else if (tag === '-') oldLeft--;
      else if (tag === '+') newLeft--;
      else throw new Error(`patch line ${i + 1}: unexpected ${JSON.stringify(line)} inside a hunk`);
      if (oldLeft < 0 || newLeft < 0)
        throw new Error(`patch line ${i + 1}: hunk longer than its header`);
      hunk.lines.push(tag + body);
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      file = {
        oldPath: stripPrefix(line.slice(4)),
        newPath: stripPrefix(lines[i + 1].slice(4)),
        hunks: [],
      };
      files.push(file);
      hunk = undefined;
      i++;
      continue;
    }
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      if (!file) throw new Error(`patch line ${i + 1}: hunk before any file header`);
      hunk = {
        oldStart: Number(header[1]),
        oldCount: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newCount: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
        noNewlineOld: false,
        noNewlineNew: false,
      };
      oldLeft = hunk.oldCount;
      newLeft = hunk.newCount;
      file.hunks.push(hunk);
      continue;
    }
    // git's extended headers (diff --git, index, new file mode, ...) carry nothing we need.
    if (
      /^(diff |index |new file mode |deleted file mode |old mode |new mode |similarity |rename )/.test(
        line,
      )
    ) {
      hunk = undefined;
      continue;
    }
    throw new Error(`patch line ${i + 1}: cannot read ${JSON.stringify(line)}`);
  }
  if (oldLeft > 0 || newLeft > 0) throw new Error('patch ends inside a hunk');
  return files;
}

/**
 * Applies the diff under root; returns the relative paths it wrote.
 * @param {string} root @param {string} patchText @param {string} [label]
 */
export function applyUnifiedDiff(root, patchText, label = 'patch') {
  const files = parseUnifiedDiff(patchText);
  if (files.length === 0) throw new Error(`${label}: no file in it`);
  const touched = [];
  for (const file of files) {
    const rel = file.newPath ?? file.oldPath;
    if (!rel || rel.split('/').includes('..') || path.isAbsolute(rel)) {
      throw new Error(`${label}: refusing path ${String(rel)}`);
    }
    const target = path.join(root, rel);
    /** @type {string[]} */
    let content = [];
    let finalNewline = true;
    if (file.oldPath === null) {
      if (fs.existsSync(target)) throw new Error(`${label}: ${rel} should be new but exists`);
    } else {
      const text = fs.readFileSync(target, 'utf8');
      finalNewline = text.endsWith('\n');
      content = text.split('\n');
      if (finalNewline) content.pop();
    }
    let shift = 0;
    file.hunks.forEach((hunk, n) => {
      const expected = hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
      const replacement = hunk.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));
      // A hunk that adds to an empty range names the line before it (0 = start of the file).
      const at = (hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1) + shift;
      const found = content.slice(at, at + expected.length);
      if (found.length !== expected.length || found.some((l, k) => l !== expected[k])) {
        throw new Error(
          `${label}: hunk ${n + 1} of ${rel} does not apply at line ${at + 1} (the source differs from what the patch expects)`,
        );
      }
      content.splice(at, expected.length, ...replacement);
      shift += replacement.length - expected.length;
      if (hunk.noNewlineNew) finalNewline = false;
      else if (hunk.noNewlineOld) finalNewline = true;
    });
    if (file.newPath === null) {
      fs.rmSync(target);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(
        target,
        content.join('\n') + (finalNewline && content.length > 0 ? '\n' : ''),
      );
    }
    touched.push(rel);
  }
  return touched;
}
