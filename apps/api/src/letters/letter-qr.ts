import QRCode from 'qrcode';

/** The QR code of a letter's verification address, as a PNG (error correction M: a smudged printout still scans). */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 8 });
}

export async function qrDataUrl(url: string): Promise<string> {
  return `data:image/png;base64,${(await qrPng(url)).toString('base64')}`;
}
