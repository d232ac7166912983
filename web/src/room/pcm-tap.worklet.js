// AudioWorklet processor for speaker captions (speaker.ts): batches the microphone's float samples (2048 per message)
// for the main thread, which downsamples them to PCM16 16 kHz. A file of its own, served from the app's origin, because
// the gateway's Content-Security-Policy (script-src 'self') refuses worklets from blob: URLs.
class LivestagePcmTap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(2048); this.fill = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      let i = 0;
      while (i < ch.length) {
        const n = Math.min(this.buf.length - this.fill, ch.length - i);
        this.buf.set(ch.subarray(i, i + n), this.fill);
        this.fill += n; i += n;
        if (this.fill === this.buf.length) { this.port.postMessage(this.buf.slice(0)); this.fill = 0; }
      }
    }
    return true;
  }
}
registerProcessor('livestage-pcm-tap', LivestagePcmTap);
