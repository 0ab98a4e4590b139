/** One media range of an `Accept` header (RFC 9110 §12.5.1). */
interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function rangesOf(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const [type = '', subtype = ''] = range.split('/');
      const qParam = params.find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { type, subtype, q: Number.isNaN(q) ? 0 : q };
    })
    .filter((r) => r.type !== '');
}

/**
 * Whether an `Accept` header admits `mediaType` (`application/json`): a range equal to
 * it, `application/*` or `*\/*`, with a q above 0. An empty header admits everything.
 */
export function acceptsMediaType(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const [type, subtype] = mediaType.toLowerCase().split('/');
  // The most specific matching range decides (RFC 9110 §12.5.1), so `*/*;q=0.5, application/json;q=0` refuses JSON.
  const matching = rangesOf(accept)
    .filter((r) => (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype))
    .sort((a, b) => specificity(b) - specificity(a));
  const best = matching[0];
  return best !== undefined && best.q > 0;
}

const specificity = (r: MediaRange): number => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
