// Nesting depth of client-supplied JSON, measured before anything serialises it.
//
// JSON.parse reads any depth, but JSON.stringify (Redis stores, turn state, logs) recurses and throws a
// RangeError on a few thousand levels: an activity or update that deep would fail every time it is retried.
// The channels refuse it as bad input (4xx) up front instead. The walk is iterative (an explicit stack), so
// measuring cannot overflow either, and it stops as soon as the limit is passed.

/**
 * True when `value` nests arrays/objects more than `maxDepth` levels deep. A scalar has depth 0, `[]` and
 * `{}` depth 1, `[[1]]` depth 2. Only arrays and plain objects are walked (what JSON.parse produces).
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
