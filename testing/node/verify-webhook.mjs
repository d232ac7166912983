// stdin {key, secret, body, authorization} -> stdout the event parsed by the Node SDK's WebhookReceiver (as protojson:
// camelCase, int64 as strings), exit 1 if the signature, expiry or body checksum does not verify.
import { WebhookReceiver } from 'livekit-server-sdk';
import { main } from './lib.mjs';

await main(async ({ key, secret, body, authorization }) => {
  const event = await new WebhookReceiver(key, secret).receive(body, authorization);
  return event.toJson();
});
