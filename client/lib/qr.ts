// Server-side only: the e-ticket's QR code as an SVG image source, so the page ships no QR library.
import QRCode from 'qrcode';

/** A `data:` URL of the QR code carrying `text` (medium error correction: survives a scuffed phone screen). */
export async function qrImageSource(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
