/** A duration in nanoseconds as short text: 850ns, 12.3µs, 4.56ms, 1.23s, 2m 5s, 1h 2m. */
export function formatDuration(nanos: number): string {
  if (!Number.isFinite(nanos)) return '–';
  const sign = nanos < 0 ? '-' : '';
  const n = Math.abs(nanos);
  if (n < 1e3) return `${sign}${Math.round(n)}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  if (n < 60e9) return `${sign}${trim(n / 1e9)}s`;
  const totalSeconds = Math.round(n / 1e9);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m ${s}s`;
}

/** Three significant digits, without trailing zeros: 1.5, 12.3, 123. */
function trim(x: number): string {
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return String(Number(x.toFixed(digits)));
}

/** Microseconds since the epoch as local date and time with milliseconds. */
export function formatTimestamp(micros: number): string {
  const d = new Date(micros / 1000);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** How long ago, in words: "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(micros: number, nowMillis = Date.now()): string {
  const sec = Math.round((nowMillis - micros / 1000) / 1000);
  if (sec < 10) return 'just now';
  if (sec < 60) return `${sec} s ago`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ago`;
  if (sec < 86400) return `${Math.floor(sec / 3600)} h ago`;
  return `${Math.floor(sec / 86400)} d ago`;
}

/** Parses a Go-style duration (`250ms`, `1.5s`, `1h30m`) into nanoseconds; null when invalid. */
export function parseGoDuration(text: string): number | null {
  const s = text.trim();
  if (!s) return null;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  const unit: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };
  let total = 0;
  let pos = 0;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : null;
}
