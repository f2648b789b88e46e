/** A number when the text is one, else the text itself, so the API reports what is wrong. */
export function priceValue(text: string): number | string {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) ? n : trimmed;
}
