// A real OpenID provider for the single sign-on tests (the `oidc-provider` package, ESM only, so it runs in a child
// process of its own rather than through Jest's CommonJS transform). Started by oidc-provider.ts (named apart from it: Jest would resolve the .mjs first) with its settings as
// JSON in argv[2]; listens on 127.0.0.1 on a port of its own and prints {"issuer": …} once it serves.
// Its sign-in page is a plain form in Chinese with labelled fields (any test account, one password); consent is given
// at once (the desk is a first-party client).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2] ?? '{}');
/** login → { sub, claims } */
const accounts = settings.accounts ?? {};
const PASSWORD = settings.password ?? 'idp-password';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
// Another key under the same id: published instead of the real one when the test asks (POST /__test/jwks "rogue"), the
// ID tokens still signed with the real one — as if they had been forged.
const { publicKey: roguePublicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogueJwks = JSON.stringify({ keys: [{ ...roguePublicKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] });
let publishRogueKey = false;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const page = (title, body) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: settings.clients ?? [],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(16).toString('hex')] },
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('退出统一身份认证', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">确认退出</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('已退出统一身份认证', '<p>您已退出。</p>');
      },
    },
  },
  findAccount: async (ctx, sub) => {
    const account = Object.values(accounts).find((candidate) => candidate.sub === sub);
    return account ? { accountId: sub, claims: async () => ({ sub, ...account.claims }) } : undefined;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('统一身份认证出错', `<p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
});

const loginForm = (uid, error) =>
  page(
    '统一身份认证登录',
    `${error ? `<p role="alert">${escape(error)}</p>` : ''}<form method="post" action="/interaction/${uid}/login">
      <label for="login">统一身份认证账号</label><input id="login" name="login" autocomplete="username">
      <label for="password">统一身份认证密码</label><input id="password" name="password" type="password">
      <button type="submit">登录统一身份认证</button></form>`,
  );

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  if (req.url === '/__test/jwks' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    publishRogueKey = body === 'rogue';
    res.writeHead(204);
    return res.end();
  }
  if (publishRogueKey && req.url.split('?')[0] === '/jwks') {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    return res.end(rogueJwks);
  }
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url.split('?')[0]);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      const account = accounts[form.login];
      if (!account || form.password !== PASSWORD) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginForm(details.uid, '账号或密码错误'));
      }
      return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === 'consent') {
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
      if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginForm(details.uid));
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('统一身份认证出错', `<p>${escape(error.message)}</p>`));
  }
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
