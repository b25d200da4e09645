// Text folded for comparison: Unicode NFD with the combining marks stripped (á → a, ñ → n), lowercase.
// Folding changes lengths, so callers that need spans fold one token at a time.

export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}
