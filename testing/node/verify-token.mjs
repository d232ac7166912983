// stdin {token, key, secret} -> stdout the verified claims (livekit-server-sdk TokenVerifier), exit 1 if invalid.
import { TokenVerifier } from 'livekit-server-sdk';
import { main } from './lib.mjs';

await main(async ({ token, key, secret }) => {
  try {
    return await new TokenVerifier(key, secret).verify(token);
  } catch (error) {
    throw new Error(`invalid token: ${error.message}`);
  }
});
