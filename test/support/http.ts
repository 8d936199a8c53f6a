import type { Response } from 'supertest';
import type { TestApp } from '../setup/test-app';

/** supertest parser that keeps a binary body (PDF, XLSX, ZIP) as a Buffer. */
export function binaryParser(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** POST /api/cases/{id}/events as a demo user; a status other than the expected one fails with the server's message. */
export function eventSender(app: () => TestApp) {
  return async (username: string, id: string, body: Record<string, unknown>, status = 200) => {
    const t = app();
    const response = await t.http.post(`/api/cases/${id}/events`).set(await t.as(username)).send(body);
    if (response.status !== status) {
      throw new Error(`${String(body.type)} by ${username}: expected ${status}, got ${response.status}: ${response.body.message}`);
    }
    return response.body;
  };
}
