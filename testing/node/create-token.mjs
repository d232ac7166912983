// stdin {key, secret, identity?, name?, ttl?, video?} -> stdout {token}: an access token minted by the Node SDK's
// AccessToken (nbf = now, exp = now + ttl (default 6h), no iat), e.g. to check a server accepts another SDK's tokens.
import { AccessToken } from 'livekit-server-sdk';
import { main } from './lib.mjs';

await main(async ({ key, secret, identity, name, ttl, video }) => {
  const token = new AccessToken(key, secret, { identity, name, ttl });
  if (video) {
    token.addGrant(video);
  }
  return { token: await token.toJwt() };
});
