// Shared plumbing of the scripts: read one JSON object from stdin, write one JSON value to stdout, and on failure
// write the reason to stderr and exit 1 (exitCode, not process.exit, so buffered stdout is never cut off).
export async function readInput() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function main(run) {
  try {
    const output = await run(await readInput());
    process.stdout.write(JSON.stringify(output));
  } catch (error) {
    process.stderr.write(`${error?.message ?? error}\n`);
    process.exitCode = 1;
  }
}
