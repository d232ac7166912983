// Reads {"xml": "<rss ...>"} on stdin, parses it with podcast-partytime (Podcast Index's parser) and prints what it
// understood as JSON on stdout (dates as ISO strings). Exits 1 when the parser rejects the feed.
import pt from "podcast-partytime";

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const { xml } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const feed = pt.parseFeed(xml, { allowMissingGuid: false });
if (!feed) {
  console.error("podcast-partytime could not parse the feed");
  process.exit(1);
}
process.stdout.write(JSON.stringify(feed));
