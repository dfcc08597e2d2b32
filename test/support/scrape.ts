/** One scrape of `/metrics`, read as Prometheus would: each sample by name and labels. */
export class Scrape {
  private constructor(
    readonly text: string,
    private readonly samples: Map<string, number>,
  ) {}

  static async of(baseUrl: string, token?: string): Promise<Scrape> {
    const res = await fetch(`${baseUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const text = await res.text();
    if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text}`);
    return Scrape.parse(text);
  }

  static parse(text: string): Scrape {
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const [, name = '', labels = '', value = ''] = match;
      samples.set(key(name, parseLabels(labels)), Number(value));
    }
    return new Scrape(text, samples);
  }

  /** The sample's value; 0 when the series was never written (a counter nobody incremented). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples.get(key(name, labels)) ?? 0;
  }

  /** Every label set written for `name`. */
  series(name: string): Array<Record<string, string>> {
    return [...this.samples.keys()]
      .filter((k) => k === name || k.startsWith(`${name}{`))
      .map((k) => parseLabels(/\{(.*)\}$/.exec(k)?.[1] ?? ''));
  }

  names(): Set<string> {
    return new Set([...this.samples.keys()].map((k) => k.replace(/\{.*$/, '')));
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1] ?? ''] = match[2] ?? '';
  return labels;
}

function key(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return pairs.length ? `${name}{${pairs.map(([k, v]) => `${k}="${v}"`).join(',')}}` : name;
}
