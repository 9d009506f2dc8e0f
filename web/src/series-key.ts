/** The server's series key (`name{a="1",b="2"}`, labels sorted, values escaped), for matching live samples. */
export type Labels = Record<string, string>;

function escapeValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}="${escapeValue(labels[k])}"`).join(",")}}`;
}
