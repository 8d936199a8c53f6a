import QRCode from 'qrcode';
import { png } from '../documents/png';

const SCALE = 8;
const MARGIN = 1;

/**
 * The QR code of a letter's verification address, as a PNG (error correction M: a smudged printout still scans). The
 * package's own PNG writer took a second a code on this machine's CPU; the matrix is drawn and packed here instead.
 */
export async function qrPng(url: string): Promise<Buffer> {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * MARGIN) * SCALE;
  const rgb = Buffer.alloc(side * side * 3, 255);
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      for (let y = (row + MARGIN) * SCALE; y < (row + MARGIN + 1) * SCALE; y++) rgb.fill(0, (y * side + (column + MARGIN) * SCALE) * 3, (y * side + (column + MARGIN + 1) * SCALE) * 3);
    }
  }
  return png(side, side, rgb);
}

export async function qrDataUrl(url: string): Promise<string> {
  return `data:image/png;base64,${(await qrPng(url)).toString('base64')}`;
}
