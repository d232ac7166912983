// stdin {key, secret, body} -> stdout {authorization}: the Authorization header value (a raw JWT, no "Bearer") for a
// webhook body, minted with the Node SDK's AccessToken the way LiveKit's notifier signs (iss = key, exp = +5 min,
// sha256 = base64(SHA-256(UTF-8 body))), which is exactly what the SDK's WebhookReceiver checks.
import { createHash } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { main } from './lib.mjs';

await main(async ({ key, secret, body }) => {
  const token = new AccessToken(key, secret, { ttl: '5m' });
  token.sha256 = createHash('sha256').update(body, 'utf8').digest('base64');
  return { authorization: await token.toJwt() };
});
