import fs from 'node:fs';

const MB = 1024 * 1024;
/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ is 100 on every mainstream build). */
const CLOCK_TICKS = 100;

/** This process's resident set size, in MB. */
export function ownRssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** Another process's resident set size in MB (Linux /proc), or undefined when unreadable. */
export function rssMbOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Another process's user + system CPU time in ms (Linux /proc), or undefined when unreadable. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
