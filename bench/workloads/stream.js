// stream: a 1 MiB response body produced as 16 chunks of 64 KiB from a pull-based ReadableStream
// (each chunk a fresh Uint8Array). Exercises the streaming body path and write backpressure.
const CHUNK_SIZE = 64 * 1024;
const CHUNKS = 16;

export default {
  async fetch(request, env, ctx) {
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent === CHUNKS) {
          controller.close();
          return;
        }
        const chunk = new Uint8Array(CHUNK_SIZE);
        chunk.fill(97 + (sent % 26));
        sent++;
        controller.enqueue(chunk);
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
  },
};
