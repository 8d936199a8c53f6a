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

/**
 * APPROVE the draft reply as `username`, acknowledging every litigation-risk warning of the review view with a comment
 * (legal staff must; tests that are not about the risk review use this). Blocking risks are left to refuse the step.
 */
export function reviewApprover(app: () => TestApp) {
  const send = eventSender(app);
  return async (username: string, id: string, body: Record<string, unknown> = {}, status = 200) => {
    const t = app();
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(await t.as(username)).expect(200)).body as { id: string; kind: string; status: string }[];
    const draft = letters.find((letter) => (letter.kind === 'reply' || letter.kind === 'correction_reply') && letter.status !== 'issued');
    const review = draft ? (await t.http.get(`/api/letters/${draft.id}/review`).set(await t.as(username)).expect(200)).body : { risks: [] };
    const acknowledgedRisks = (review.risks as { code: string; severity: string }[])
      .filter((risk) => risk.severity === 'warning')
      .map((risk) => ({ code: risk.code, comment: '已核查，记录在卷' }));
    return send(username, id, { type: 'APPROVE', ...(acknowledgedRisks.length ? { acknowledgedRisks } : {}), ...body }, status);
  };
}
